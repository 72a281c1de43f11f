using Octokit;

namespace Runner.Core.Publishing;

/// <summary>Turns what Octokit and the network throw into one message the user can act on, with its exit code.</summary>
public static class GitHubErrors
{
    public static PublishException Explain(Exception e, PublishTarget target) => e switch
    {
        RateLimitExceededException r => PublishException.Failure(
            $"GitHub's API rate limit is used up until {r.Reset.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, too long to wait; run publish again after that"),
        SecondaryRateLimitExceededException => PublishException.Failure(
            "GitHub's secondary rate limit stopped publishing; run publish again in a few minutes"),
        AuthorizationException a => PublishException.Usage(
            $"GitHub rejected GITHUB_TOKEN (401: {a.Message}) at {target.ApiUrl}; set a valid token"),
        ForbiddenException f => PublishException.Usage(
            $"GitHub refused access to {target.Repository} (403: {f.Message}); the token needs 'contents: write' (and 'pull-requests: write' for --comment pr)"),
        NotFoundException => PublishException.Usage(
            $"GitHub answered 404 for {target.Repository} branch '{target.Branch}' at {target.ApiUrl}: check --repo, --branch and GITHUB_API_URL, and that the token can see the repository (an empty repository has no branch to publish to)"),
        ApiException api => PublishException.Failure($"GitHub API error {(int)api.StatusCode}: {api.Message}"),
        HttpRequestException or TaskCanceledException => PublishException.Failure($"cannot reach {target.ApiUrl}: {e.Message}"),
        PublishException p => p,
        _ => PublishException.Failure($"{e.GetType().Name}: {e.Message}"),
    };

    /// <summary>Runs <paramref name="call"/>; when the rate limit runs out and resets within <paramref name="maxWait"/>, waits and calls again.</summary>
    public static async Task<T> WaitingForRateLimit<T>(Func<Task<T>> call, TimeSpan maxWait, TextWriter output)
    {
        for (var waits = 0; ; waits++)
        {
            try
            {
                return await call();
            }
            catch (RateLimitExceededException e) when (waits < 3 && e.Reset - DateTimeOffset.UtcNow <= maxWait)
            {
                // x-ratelimit-reset has whole seconds: wait one more so the new window has begun.
                var wait = TimeSpan.FromSeconds(Math.Ceiling(Math.Max(0, (e.Reset - DateTimeOffset.UtcNow).TotalSeconds)) + 1);
                output.WriteLine($"GitHub's API rate limit is used up; waiting {wait.TotalSeconds:F0} s for it to reset.");
                await Task.Delay(wait);
            }
        }
    }
}
