using Octokit;
using Serilog;
using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Core.Publishing;

public enum CommentTarget { None, Pr, Commit }

/// <summary>What <c>runner publish FILE</c> was asked: the experiment's name and report folder, plus the options.</summary>
public sealed record PublishRequest(
    string Experiment, string ExperimentFile, string ReportOutput, string? Repo, string? Branch, bool DryRun, CommentTarget Comment);

/// <summary><c>runner publish</c>: the report folder as one commit on a branch, then optionally a summary comment.</summary>
/// <param name="environment">Reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_SHA and the other Actions variables.</param>
public sealed class ReportPublishing(Func<string, string?> environment, TextWriter output, ILogger log)
{
    /// <summary>How long a used-up rate limit may be waited out before publishing gives up.</summary>
    public TimeSpan MaxRateLimitWait { get; init; } = TimeSpan.FromMinutes(5);
    public int MaxAttempts { get; init; } = 3;

    public async Task RunAsync(PublishRequest request)
    {
        var report = ReportSnapshot.Read(request.ReportOutput, LocalGit.TopLevel() ?? Directory.GetCurrentDirectory());
        var source = Env("GITHUB_SHA") ?? LocalGit.HeadCommit();
        var message = CommitMessage(request, report, source);
        if (request.DryRun)
        {
            PrintDryRun(request, report, message);
            return;
        }
        var target = PublishTarget.Resolve(request.Repo, request.Branch, environment);
        var token = Env("GITHUB_TOKEN")
            ?? throw PublishException.Usage("GITHUB_TOKEN is not set: publishing needs a token with 'contents: write' on the repository (see README, Publishing)");
        var github = new GitHubClient(new ProductHeaderValue("runner"), target.ApiUrl) { Credentials = new Credentials(token) };
        try
        {
            var publisher = new Publisher(github, target, log) { MaxAttempts = MaxAttempts };
            var result = await GitHubErrors.WaitingForRateLimit(() => publisher.CommitAsync(report, message), MaxRateLimitWait, output);
            output.WriteLine(result.Committed
                ? $"Published {report.Folder} to {target.Repository}@{target.Branch}: commit {result.CommitSha} ({result.Added} added, {result.Changed} changed, {result.Removed} removed)."
                : $"Nothing changed: {target.Repository}@{target.Branch} already has these {report.Files.Count} files in {report.Folder}; no commit made.");
            if (request.Comment != CommentTarget.None) await Comment(request, github, target, $"{report.Folder}/README.md", result.CommitSha ?? target.Branch, source);
        }
        catch (Exception e) when (e is not PublishException)
        {
            throw GitHubErrors.Explain(e, target);
        }
    }

    private async Task Comment(PublishRequest request, IGitHubClient github, PublishTarget target, string readme, string revision, string? source)
    {
        var resultsPath = Path.Combine(request.ReportOutput, ExperimentResults.FileName);
        if (!File.Exists(resultsPath))
        {
            output.WriteLine($"No comment: {resultsPath} does not exist.");
            return;
        }
        var results = Json.Read<ExperimentResults>(resultsPath);
        var url = $"{target.ServerUrl.TrimEnd('/')}/{target.Repository}/blob/{revision}/{readme}";
        var marker = SummaryComment.Marker(results.Experiment);
        var body = SummaryComment.Body(results, url, source);
        var poster = new CommentPoster(github, target, log);
        string? where;
        if (request.Comment == CommentTarget.Pr)
            where = await GitHubErrors.WaitingForRateLimit(() => poster.OnPullRequestAsync(marker, body, Env("GITHUB_EVENT_PATH")), MaxRateLimitWait, output);
        else if (source is null)
            where = null;
        else
            where = await GitHubErrors.WaitingForRateLimit(() => poster.OnCommitAsync(source, marker, body), MaxRateLimitWait, output);
        output.WriteLine(where is null
            ? $"No comment: {(request.Comment == CommentTarget.Pr ? $"no open pull request from branch '{target.Branch}'" : "the source commit is unknown (set GITHUB_SHA)")}."
            : $"Summary comment: {where}");
    }

    private void PrintDryRun(PublishRequest request, ReportSnapshot report, string message)
    {
        string destination;
        try
        {
            var target = PublishTarget.Resolve(request.Repo, request.Branch, environment);
            destination = $"{target.Repository}@{target.Branch}";
        }
        catch (PublishException e)
        {
            destination = $"(unknown: {e.Message})";
        }
        output.WriteLine($"Dry run: would commit {report.Files.Count} files in {report.Folder}/ to {destination}; nothing is sent:");
        foreach (var file in report.Files)
            output.WriteLine($"  {file.Bytes.Length,10:N0} B  {(file.InlineText is null ? "blob  " : "inline")}  {report.Folder}/{file.Path}");
        output.WriteLine($"  {report.Files.Sum(f => (long)f.Bytes.Length),10:N0} B  in all");
        output.WriteLine("Commit message:");
        foreach (var line in message.Split('\n')) output.WriteLine($"  {line}");
        if (request.Comment != CommentTarget.None) output.WriteLine($"Would post or update the summary comment on the {(request.Comment == CommentTarget.Pr ? "pull request" : "source commit")}.");
    }

    /// <summary>Names the experiment and source commit, and carries <c>[skip ci]</c> so the push starts no workflow.</summary>
    public static string CommitMessage(PublishRequest request, ReportSnapshot report, string? source) =>
        $"""
        Publish {request.Experiment} report [skip ci]

        Experiment: {request.Experiment} ({request.ExperimentFile})
        Source commit: {source ?? "unknown"}
        Report: {report.Folder}/ ({report.Files.Count} files)
        """;

    private string? Env(string name) => environment(name) is { Length: > 0 } value ? value : null;
}
