namespace Runner.Core.Publishing;

/// <summary>
/// A reply that is not GitHub's JSON: typically an HTML page from a proxy, a load balancer or a GITHUB_API_URL that
/// points at a web site. Octokit would turn it into an empty object (or an error whose message is the whole page).
/// </summary>
internal sealed class NotJsonReplyException(string request, int status, string contentType)
    : Exception($"{request} answered {status} with '{contentType}' instead of GitHub's JSON")
{
    public string Request { get; } = request;
    public int Status { get; } = status;
    public string ContentType { get; } = contentType;
}
