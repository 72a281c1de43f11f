using System.CommandLine;
using Runner.Core.Cache;

namespace Runner.Cli;

/// <summary><c>--remote URL</c> and <c>--no-remote</c>, on the commands that use the task cache (README, "Remote cache").</summary>
internal static class RemoteOptions
{
    public static readonly Option<string> Remote = new("--remote")
    {
        Description = $"Remote cache shared with other runners, s3://BUCKET/PREFIX (default ${RemoteLocation.Variable}; " +
            "AWS_ENDPOINT_URL for S3-compatible stores other than AWS)",
    };

    public static readonly Option<bool> NoRemote = new("--no-remote") { Description = "Do not use the remote cache in this command" };

    /// <summary>What the command line says about the remote; <see cref="Default"/>: <c>RUNNER_REMOTE</c> decides.</summary>
    public sealed record Choice(string? Url, bool Off)
    {
        public static readonly Choice Default = new(null, false);
    }

    public static Choice From(ParseResult parsed) => new(parsed.GetValue(Remote), parsed.GetValue(NoRemote));

    /// <summary>The remote cache this command uses, or null; a malformed setting is bad input (exit 2).</summary>
    public static S3RemoteCache? Open(Choice? choice)
    {
        choice ??= Choice.Default;
        try
        {
            return RemoteLocation.Resolve(choice.Url, choice.Off) is { } location ? new S3RemoteCache(location, Console.Error) : null;
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>As <see cref="Open"/>, for commands that need a remote: none configured is bad input.</summary>
    public static S3RemoteCache Require(Choice? choice, string command) =>
        Open(choice) ?? throw new UsageException(
            $"{command}: no remote cache: set {RemoteLocation.Variable}=s3://BUCKET/PREFIX or pass --remote s3://BUCKET/PREFIX");
}
