using Octokit;
using Octokit.Internal;

namespace Runner.Core.Publishing;

internal static class GitHubConnection
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
