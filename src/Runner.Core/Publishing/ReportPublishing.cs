using Octokit;
using Serilog;
using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Core.Publishing;

/// <summary><c>runner publish</c>: the report folder as one commit on a branch, then optionally a summary comment.</summary>
/// <param name="environment">Reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_SHA and the other Actions variables.</param>
public sealed class ReportPublishing(Func<string, string?> environment, TextWriter output, ILogger log)
{
    public GitHubRetry Retry { get; init; } = new(output);
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
        CheckToken(token);
        var github = GitHubConnection.Client(target.ApiUrl, token);
        try
        {
            var publisher = new Publisher(github, target, log) { MaxAttempts = MaxAttempts };
            var result = await Retry.RunAsync(() => publisher.CommitAsync(report, message));
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
        string? where = null;
        if (request.Comment is CommentTarget.Pr or CommentTarget.Auto)
            where = await Retry.RunAsync(() => poster.OnPullRequestAsync(marker, body, Env("GITHUB_EVENT_PATH")));
        if (where is null && request.Comment is (CommentTarget.Commit or CommentTarget.Auto) && source is not null)
            where = await Retry.RunAsync(() => poster.OnCommitAsync(source, marker, body));
        var noPullRequest = $"no open pull request from branch '{target.Branch}'";
        const string noCommit = "the source commit is unknown (set GITHUB_SHA)";
        output.WriteLine(where is not null ? $"Summary comment: {where}" : request.Comment switch
        {
            CommentTarget.Pr => $"No comment: {noPullRequest}.",
            CommentTarget.Commit => $"No comment: {noCommit}.",
            _ => $"No comment: {noPullRequest}, and {noCommit}.",
        });
    }

    /// <summary>A token with a line break or a space (a pasted secret) would be refused by HTTP itself; say so without showing it.</summary>
    private static void CheckToken(string token)
    {
        var bad = Array.FindIndex(token.ToCharArray(), c => char.IsControl(c) || char.IsWhiteSpace(c) || !char.IsAscii(c));
        if (bad < 0) return;
        var what = token[bad] is '\n' or '\r' ? "a line break" : char.IsAscii(token[bad]) ? "a space or control character" : "a non-ASCII character";
        throw PublishException.Usage($"GITHUB_TOKEN contains {what} " +
            $"at character {bad + 1} of {token.Length}: set it again without it (e.g. a secret pasted with a trailing newline)");
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
        if (request.Comment != CommentTarget.None) output.WriteLine($"Would post or update the summary comment on the {request.Comment switch { CommentTarget.Pr => "pull request", CommentTarget.Commit => "source commit", _ => "pull request, else the source commit" }}.");
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
