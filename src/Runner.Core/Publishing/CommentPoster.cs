using System.Text.Json;
using Octokit;
using Serilog;

namespace Runner.Core.Publishing;

/// <summary><c>--comment pr|commit</c>: posts the summary, or edits the earlier comment that carries the same marker.</summary>
internal sealed class CommentPoster(IGitHubClient github, PublishTarget target, ILogger log)
{
    /// <summary>Comments on the open pull request from the target branch; null when there is none.</summary>
    public async Task<string?> OnPullRequestAsync(string marker, string body, string? eventPath)
    {
        var number = PullRequestOfEvent(eventPath) ?? await OpenPullRequestOfBranch();
        if (number is null) return null;
        var issues = github.Issue.Comment;
        var comments = await issues.GetAllForIssue(target.Owner, target.Name, number.Value);
        var earlier = comments.FirstOrDefault(c => c.Body?.Contains(marker, StringComparison.Ordinal) == true);
        var comment = earlier is null
            ? await issues.Create(target.Owner, target.Name, number.Value, body)
            : await issues.Update(target.Owner, target.Name, earlier.Id, body);
        log.Information("publish: {Action} comment {Id} on pull request #{Number}", earlier is null ? "created" : "updated", comment.Id, number);
        return comment.HtmlUrl;
    }

    public async Task<string> OnCommitAsync(string sha, string marker, string body)
    {
        var comments = github.Repository.Comment;
        var earlier = (await comments.GetAllForCommit(target.Owner, target.Name, sha))
            .FirstOrDefault(c => c.Body?.Contains(marker, StringComparison.Ordinal) == true);
        var comment = earlier is null
            ? await comments.Create(target.Owner, target.Name, sha, new NewCommitComment(body))
            : await comments.Update(target.Owner, target.Name, earlier.Id, body);
        log.Information("publish: {Action} comment {Id} on commit {Sha}", earlier is null ? "created" : "updated", comment.Id, sha);
        return comment.HtmlUrl;
    }

    private async Task<int?> OpenPullRequestOfBranch()
    {
        var open = await github.PullRequest.GetAllForRepository(target.Owner, target.Name,
            new PullRequestRequest { State = ItemStateFilter.Open, Head = $"{target.Owner}:{target.Branch}" });
        return open.Count > 0 ? open[0].Number : null;
    }

    /// <summary>The pull request number of the Actions event (<c>GITHUB_EVENT_PATH</c>), when it is a pull request event.</summary>
    private static int? PullRequestOfEvent(string? eventPath)
    {
        if (eventPath is null || !File.Exists(eventPath)) return null;
        using var json = JsonDocument.Parse(File.ReadAllText(eventPath));
        return json.RootElement.TryGetProperty("pull_request", out var pr) && pr.TryGetProperty("number", out var n) ? n.GetInt32() : null;
    }
}
