using System.CommandLine;
using Runner.Core.Publishing;

namespace Runner.Cli.Commands;

/// <summary><c>runner publish FILE</c>: commit the experiment's report folder to GitHub as one commit (README, Publishing).</summary>
public static class PublishCommand
{
    public static Command Create()
    {
        var file = CommandLine.FileArgument();
        var repo = new Option<string?>("--repo") { Description = "OWNER/NAME (default: GITHUB_REPOSITORY)" };
        var branch = new Option<string?>("--branch") { Description = "Branch to commit to (default: the branch Actions checked out, else the current branch)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the files, sizes and commit message; send nothing" };
        var comment = new Option<string>("--comment") { Description = "pr, commit, auto (the pull request when the branch has an open one, else the commit) or none: post the summary table, updated in place on later runs", DefaultValueFactory = _ => "none" };
        comment.AcceptOnlyFromAmong("pr", "commit", "auto", "none");
        var command = new Command("publish", "Commit the report folder to GitHub as one commit, optionally with a summary comment")
        {
            file, repo, branch, dryRun, comment,
        };
        command.SetAction(p => CommandLine.Guard(() =>
        {
            var path = p.GetValue(file)!;
            // A malformed repository is bad input even in a dry run, which otherwise sends nothing and checks nothing remote.
            if ((p.GetValue(repo) ?? Environment.GetEnvironmentVariable("GITHUB_REPOSITORY")) is { Length: > 0 } named &&
                !System.Text.RegularExpressions.Regex.IsMatch(named, @"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/(?!\.\.?\z)[A-Za-z0-9._-]{1,100}\z"))
                throw new UsageException(
                    $"repository '{TerminalText.Value(named)}' is not OWNER/NAME (GitHub names: letters, digits and '-', and '.' or '_' in NAME)");
            var spec = ExperimentFile.Load(path);
            return Publish(new PublishRequest(spec.Name, path, spec.Report.Output, p.GetValue(repo), p.GetValue(branch), p.GetValue(dryRun),
                Enum.Parse<CommentTarget>(p.GetValue(comment)!, ignoreCase: true)));
        }));
        return command;
    }

    private static int Publish(PublishRequest request)
    {
        var redactor = new SecretRedactor(Environment.GetEnvironmentVariable("GITHUB_TOKEN"));
        var log = RedactingLogger.Wrap(Logging.Create(), redactor);
        try
        {
            new ReportPublishing(Environment.GetEnvironmentVariable, Console.Out, log).RunAsync(request).GetAwaiter().GetResult();
            return ExitCodes.Success;
        }
        catch (Exception e)
        {
            var failure = e as PublishException ?? PublishException.Failure($"{e.GetType().Name}: {e.Message}");
            var message = redactor.Redact(failure.Message);
            log.Error("publish failed: {Message}", message);
            Console.Error.WriteLine($"runner publish: {message}");
            return failure.ExitCode;
        }
    }
}
