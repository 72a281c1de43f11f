using Octokit;
using Octokit.Internal;

namespace Runner.Core.Publishing;

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
