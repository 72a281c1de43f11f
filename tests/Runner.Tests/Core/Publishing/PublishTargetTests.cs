using Runner.Core.Publishing;

namespace Runner.Tests.Core.Publishing;

public sealed class PublishTargetTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Options_win_over_the_actions_environment_and_a_pull_request_publishes_to_its_head_branch()
    {
        var env = Env(("GITHUB_REPOSITORY", "me/runner"), ("GITHUB_REF_NAME", "12/merge"), ("GITHUB_HEAD_REF", "experiments/lr"),
            ("GITHUB_API_URL", "https://ghe.example.com/api/v3"), ("GITHUB_SERVER_URL", "https://ghe.example.com"));

        var fromEnvironment = PublishTarget.Resolve(null, null, env);
        Assert.Equal(("me", "runner", "experiments/lr", "https://ghe.example.com/api/v3"),
            (fromEnvironment.Owner, fromEnvironment.Name, fromEnvironment.Branch, fromEnvironment.ApiUrl.ToString()));

        var fromOptions = PublishTarget.Resolve("other/repo", "main", env);
        Assert.Equal(("other/repo", "main"), (fromOptions.Repository, fromOptions.Branch));
        Assert.Equal("https://api.github.com/", PublishTarget.Resolve("a/b", "main", Env()).ApiUrl.ToString());
    }

    [Theory]
    [InlineData(null, "no repository: pass --repo OWNER/NAME or set GITHUB_REPOSITORY")]
    [InlineData("just-a-name", "repository 'just-a-name' is not OWNER/NAME")]
    public void A_missing_or_malformed_repository_is_bad_input(string? repo, string message)
    {
        var e = Assert.Throws<PublishException>(() => PublishTarget.Resolve(repo, "main", Env()));
        Assert.Equal((2, message), (e.ExitCode, e.Message));
    }
}
