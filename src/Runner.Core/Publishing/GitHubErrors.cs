using Octokit;

namespace Runner.Core.Publishing;

/// <summary>Turns what Octokit and the network throw into one message the user can act on, with its exit code.</summary>
internal static class GitHubErrors
{
    public static PublishException Explain(Exception e, PublishTarget target) => e switch
    {
        RateLimitExceededException r => PublishException.Failure(
            $"GitHub's API rate limit is used up until {r.Reset.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, too long to wait; run publish again after that"),
        ApiException s when GitHubRetry.IsSecondaryRateLimit(s) => PublishException.Failure(
            "GitHub's secondary rate limit stopped publishing; run publish again in a few minutes"),
        AuthorizationException a => PublishException.Usage(
            $"GitHub rejected GITHUB_TOKEN (401: {a.Message}) at {target.ApiUrl}; set a valid token"),
        ForbiddenException f => PublishException.Usage(
            $"GitHub refused access to {target.Repository} (403: {f.Message}); the token needs 'contents: write' (and 'pull-requests: write' for --comment pr or auto)"),
        NotFoundException => PublishException.Usage(
            $"GitHub answered 404 for {target.Repository} branch '{target.Branch}' at {target.ApiUrl}: check --repo, --branch and GITHUB_API_URL, and that the token can see the repository (an empty repository has no branch to publish to)"),
        ApiException { StatusCode: >= (System.Net.HttpStatusCode)500 } api => PublishException.Failure(
            $"GitHub API error {(int)api.StatusCode} even after retrying: {api.Message}; nothing more was published, run publish again later"),
        ApiException api => PublishException.Failure($"GitHub API error {(int)api.StatusCode}: {api.Message}"),
        NotJsonReplyException n => PublishException.Failure(
            $"{target.ApiUrl}: {n.Message} (a proxy's or server's error page?); check GITHUB_API_URL and the network, then run publish again"),
        HttpRequestException or TaskCanceledException => PublishException.Failure($"cannot reach {target.ApiUrl}: {e.Message}"),
        PublishException p => p,
        _ => PublishException.Failure($"{e.GetType().Name}: {e.Message}"),
    };
}
