using System.Globalization;
using Octokit;

namespace Runner.Core.Publishing;

/// <summary>
/// Calls GitHub again after failures that pass with time: a used-up rate limit (waits for its reset), the secondary
/// rate limit (403 or 429: waits retry-after, else the reset, else one minute, doubling) and 5xx answers (backoff
/// doubling from <see cref="ServerErrorBackoff"/>). At most <see cref="MaxRetries"/> retries, none longer than
/// <see cref="MaxWait"/>; anything else, or a longer wait, is thrown as it came.
/// </summary>
public sealed class GitHubRetry(TextWriter output)
{
    public int MaxRetries { get; init; } = 4;
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan ServerErrorBackoff { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>How a wait is spent; tests pass one that returns at once.</summary>
    public Func<TimeSpan, Task> Delay { get; init; } = wait => Task.Delay(wait);

    public async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (retry < MaxRetries && Wait(e, retry) is { } wait && wait <= MaxWait)
            {
                output.WriteLine($"{Reason(e)}; trying again in {wait.TotalSeconds:F0} s (retry {retry + 1} of {MaxRetries}).");
                await Delay(wait);
            }
        }
    }

    /// <summary>How long to wait before retry number <paramref name="retry"/> (0-based) after <paramref name="e"/>; null when waiting will not help.</summary>
    private TimeSpan? Wait(Exception e, int retry) => e switch
    {
        RateLimitExceededException r => UntilReset(r.Reset),
        ApiException a when IsSecondaryRateLimit(a) =>
            RetryAfter(a) ?? (Header(a, "x-ratelimit-remaining") == "0" && ResetOf(a) is { } reset ? UntilReset(reset) : TimeSpan.FromMinutes(1) * (1 << retry)),
        ApiException a when (int)a.StatusCode >= 500 => ServerErrorBackoff * (1 << retry),
        NotJsonReplyException { Status: >= 500 } => ServerErrorBackoff * (1 << retry),
        _ => null,
    };

    private static string Reason(Exception e) => e switch
    {
        RateLimitExceededException => "GitHub's API rate limit is used up",
        ApiException a when IsSecondaryRateLimit(a) => "GitHub's secondary rate limit stopped publishing",
        ApiException a => $"GitHub answered {(int)a.StatusCode}",
        NotJsonReplyException n => $"{n.Status} ({n.ContentType}) instead of GitHub's JSON",
        _ => e.GetType().Name,
    };

    /// <summary>GitHub's secondary rate limit: 403 or 429 with retry-after or the message naming it (Octokit knows it only from the message).</summary>
    public static bool IsSecondaryRateLimit(ApiException e) =>
        e is SecondaryRateLimitExceededException
        || ((int)e.StatusCode is 403 or 429 && e is not RateLimitExceededException
            && (Header(e, "retry-after") is not null || e.Message.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase)));

    private static TimeSpan? RetryAfter(ApiException e) =>
        int.TryParse(Header(e, "retry-after"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;

    private static DateTimeOffset? ResetOf(ApiException e) =>
        long.TryParse(Header(e, "x-ratelimit-reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var unix) ? DateTimeOffset.FromUnixTimeSeconds(unix) : null;

    /// <summary>x-ratelimit-reset has whole seconds: one more, so the new window has begun.</summary>
    private static TimeSpan UntilReset(DateTimeOffset reset) =>
        TimeSpan.FromSeconds(Math.Ceiling(Math.Max(0, (reset - DateTimeOffset.UtcNow).TotalSeconds)) + 1);

    private static string? Header(ApiException e, string name) =>
        e.HttpResponse?.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
