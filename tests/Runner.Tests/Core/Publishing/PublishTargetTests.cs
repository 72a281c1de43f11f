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

    [Theory]
    [InlineData("../tags/v1", "has '..'")]
    [InlineData("main\n", "has a space, a control character")]
    [InlineData("refs//x", "has an empty part")]
    [InlineData("x.lock", "has an empty part, a part starting with '.' or ending with '.lock'")]
    public void A_branch_git_would_not_accept_is_bad_input_so_no_other_ref_is_updated(string branch, string problem)
    {
        var e = Assert.Throws<PublishException>(() => PublishTarget.Resolve("a/b", branch, Env()));

        Assert.Equal(2, e.ExitCode);
        Assert.StartsWith($"branch '{branch}' {problem}", e.Message);
        Assert.Contains("from-env", Assert.Throws<PublishException>(() =>
            PublishTarget.Resolve("a/b", null, Env(("GITHUB_HEAD_REF", "from-env/../../tags/v1")))).Message);
    }

    [Theory]
    [InlineData("http://ghe.example.com/api/v3", false)]
    [InlineData("http://127.0.0.1:8080/", true)]
    [InlineData("https://ghe.example.com/api/v3", true)]
    public void The_token_only_travels_over_https_or_this_machines_loopback(string api, bool accepted)
    {
        var resolve = () => PublishTarget.Resolve("a/b", "main", Env(("GITHUB_API_URL", api)));

        if (accepted) Assert.Equal(api, resolve().ApiUrl.ToString());
        else Assert.Contains("is not https: the token would cross the network in clear", Assert.Throws<PublishException>(resolve).Message);
    }

    [Fact]
    public void A_repository_with_a_line_break_is_not_owner_name()
    {
        var e = Assert.Throws<PublishException>(() => PublishTarget.Resolve("me/runner\n", "main", Env()));
        Assert.Equal(2, e.ExitCode);
    }
}
