using Octokit;
using Runner.Core.Publishing;

namespace Runner.Tests.Fixtures;

internal static class FakeGitHubClients
{
    public static PublishTarget Target(this FakeGitHub server, string branch = "main") =>
        new(FakeGitHub.Owner, FakeGitHub.Name, branch, new Uri(server.ApiUrl), "https://github.com");

    public static GitHubClient Client(this FakeGitHub server) => GitHubConnection.Client(new Uri(server.ApiUrl), FakeGitHub.Token, "runner-tests");

    public static Publisher Publisher(this FakeGitHub server, string branch = "main") =>
        new(server.Client(), server.Target(branch), Serilog.Core.Logger.None);

    public static int Count(this FakeGitHub server, string method, string pathEnd) =>
        server.Requests.Count(r => r.StartsWith(method + " ", StringComparison.Ordinal) && r.TrimEnd('/').EndsWith(pathEnd, StringComparison.Ordinal));
}
