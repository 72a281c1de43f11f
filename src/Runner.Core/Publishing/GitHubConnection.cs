using Octokit;
using Octokit.Internal;

namespace Runner.Core.Publishing;

/// <summary>
/// A reply that is not GitHub's JSON: typically an HTML page from a proxy, a load balancer or a GITHUB_API_URL that
/// points at a web site. Octokit would turn it into an empty object (or an error whose message is the whole page).
/// </summary>
public sealed class NotJsonReplyException(string request, int status, string contentType)
    : Exception($"{request} answered {status} with '{contentType}' instead of GitHub's JSON")
{
    public string Request { get; } = request;
    public int Status { get; } = status;
    public string ContentType { get; } = contentType;
}

/// <summary>Passes requests to <paramref name="inner"/> and stops at the first reply whose body is not JSON.</summary>
internal sealed class JsonRepliesOnly(IHttpClient inner) : IHttpClient
{
    public async Task<IResponse> Send(IRequest request, CancellationToken cancellationToken, Func<object, object>? preprocessResponseBody = null)
    {
        var response = await inner.Send(request, cancellationToken, preprocessResponseBody);
        var hasBody = response.Body is string { Length: > 0 } or byte[] { Length: > 0 };
        if (hasBody && !IsJson(response.ContentType))
            throw new NotJsonReplyException($"{request.Method} {request.Endpoint}", (int)response.StatusCode, response.ContentType ?? "no content type");
        return response;
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase));

    public void SetRequestTimeout(TimeSpan timeout) => inner.SetRequestTimeout(timeout);

    public void Dispose() => inner.Dispose();
}

public static class GitHubConnection
{
    /// <summary>The client publish uses: token authentication, and a transport that refuses replies that are not JSON.</summary>
    public static GitHubClient Client(Uri apiUrl, string token, string product = "runner")
    {
        var header = new ProductHeaderValue(product);
        // Octokit's own rule for the base address (github.com → api.github.com; elsewhere → HOST/api/v3/).
        var baseAddress = new GitHubClient(header, apiUrl).Connection.BaseAddress;
        return new(new Connection(header, baseAddress, new InMemoryCredentialStore(new Credentials(token)),
            new JsonRepliesOnly(new HttpClientAdapter(HttpMessageHandlerFactory.CreateDefault)), new SimpleJsonSerializer()));
    }
}
