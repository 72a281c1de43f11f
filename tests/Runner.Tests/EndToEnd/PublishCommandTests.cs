using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary><c>runner publish</c> as a user runs it: the real executable against <see cref="FakeGitHub"/>.</summary>
public sealed class PublishCommandTests : IAsyncLifetime
{
    private readonly FakeGitHub _github = new();
    private readonly ReportCheckout _report = new();

    public Task InitializeAsync()
    {
        _github.Repo.Seed("main", new Dictionary<string, string> { ["README.md"] = "# experiments\n" });
        Directory.CreateDirectory(Path.Combine(_report.Root, "data", "a"));
        File.WriteAllText(Path.Combine(_report.Root, "tiny.yaml"), "name: tiny\ndataset: { kind: folder, path: data }\nbackbones: [mobilenet_v2]\n");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _github.DisposeAsync();
        _report.Dispose();
    }

    private const string SourceCommit = "5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed";

    /// <summary>Every variable publish reads is set, so the GitHub Actions environment of a CI run cannot leak in.</summary>
    private RunnerProcess.Result Publish(string token, params string[] args) => RunnerProcess.Run(_report.Root, new Dictionary<string, string>
    {
        ["GITHUB_TOKEN"] = token, ["GITHUB_API_URL"] = _github.ApiUrl, ["GITHUB_REPOSITORY"] = $"{FakeGitHub.Owner}/{FakeGitHub.Name}",
        ["GITHUB_SHA"] = SourceCommit, ["GITHUB_REF_NAME"] = "main", ["GITHUB_HEAD_REF"] = "", ["GITHUB_EVENT_PATH"] = "", ["GITHUB_SERVER_URL"] = "",
    }, ["publish", "tiny.yaml", .. args]);

    private string Logs() => string.Concat(Directory.EnumerateFiles(Path.Combine(_report.Root, ".runner", "logs")).Select(File.ReadAllText));

    [Fact]
    public void Publishes_one_commit_naming_experiment_and_source_then_comments_and_says_when_nothing_changed()
    {
        var first = Publish(FakeGitHub.Token, "--comment", "commit");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("Published reports/tiny to octo-org/experiments@main", first.Output);
        var message = _github.Repo.Git("log", "-1", "--format=%B", "main");
        Assert.Contains("[skip ci]", message);
        Assert.Contains("Experiment: tiny (tiny.yaml)", message);
        Assert.Contains($"Source commit: {SourceCommit}", message);
        Assert.Equal(3, _github.Repo.Files("main").Keys.Count(k => k.StartsWith("reports/tiny/", StringComparison.Ordinal)));
        var comment = Assert.Single(_github.Comments);
        Assert.Equal($"commits/{SourceCommit}", comment.On);
        Assert.Contains("backbone_with_a_long_descriptive_name_00000", comment.Body);

        var second = Publish(FakeGitHub.Token, "--comment", "commit");

        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("Nothing changed", second.Output);
        Assert.Single(_github.Comments);
        Assert.DoesNotContain(FakeGitHub.Token, first.Output + first.Error + second.Output + second.Error + Logs());
    }

    [Fact]
    public void A_rejected_token_is_one_clear_message_exit_2_and_the_token_is_nowhere_in_output_or_logs()
    {
        _github.RejectToken = true; // the 401's message echoes the Authorization header

        var result = Publish(FakeGitHub.Token);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("runner publish: GitHub rejected GITHUB_TOKEN (401", line);
        Assert.Contains("Token ***", line);
        Assert.DoesNotContain(FakeGitHub.Token, result.Output + result.Error + Logs());
    }

    [Fact]
    public void Missing_token_and_unknown_repository_exit_2_with_one_clear_message()
    {
        var missing = Publish("");
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("runner publish: GITHUB_TOKEN is not set: publishing needs a token with 'contents: write' on the repository (see README, Publishing)", missing.Error.Trim());

        var unknown = Publish(FakeGitHub.Token, "--repo", "octo-org/nowhere");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("GitHub answered 404 for octo-org/nowhere branch 'main'", unknown.Error);
    }

    [Fact]
    public void A_token_with_a_line_break_is_one_clear_message_exit_2_before_anything_is_sent()
    {
        var result = Publish(FakeGitHub.Token + "\n");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"runner publish: GITHUB_TOKEN contains a line break at character {FakeGitHub.Token.Length + 1} of {FakeGitHub.Token.Length + 1}: "
            + "set it again without it (e.g. a secret pasted with a trailing newline)", line);
        Assert.Empty(_github.Requests);
    }

    [Fact]
    public void A_token_with_a_non_ascii_character_is_named_as_such_not_as_an_unreachable_server()
    {
        var result = Publish("ghp_tøken");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("runner publish: GITHUB_TOKEN contains a non-ASCII character at character 6 of 9", line);
        Assert.Empty(_github.Requests);
    }

    [Fact]
    public void An_html_page_in_place_of_the_api_s_json_is_one_clear_message_exit_1()
    {
        _github.Canned.Enqueue(FakeGitHub.CannedReply.HtmlPage(200)); // a proxy's login page

        var result = Publish(FakeGitHub.Token);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"runner publish: {_github.ApiUrl}", line);
        Assert.Contains("answered 200 with 'text/html' instead of GitHub's JSON", line);
        Assert.DoesNotContain("Exception", line);
        Assert.DoesNotContain("<html>", line);
    }

    [Fact]
    public void Comment_auto_goes_to_the_branch_s_open_pull_request_else_to_the_source_commit()
    {
        _github.PullRequests[5] = "main";
        var withPullRequest = Publish(FakeGitHub.Token, "--comment", "auto");
        Assert.True(withPullRequest.ExitCode == 0, withPullRequest.Error);
        Assert.Equal("issues/5", Assert.Single(_github.Comments).On);

        _github.PullRequests.Clear();
        var without = Publish(FakeGitHub.Token, "--comment", "auto");
        Assert.True(without.ExitCode == 0, without.Error);
        Assert.Equal(["issues/5", $"commits/{SourceCommit}"], _github.Comments.Select(c => c.On));
    }

    [Fact]
    public void Dry_run_prints_files_sizes_and_message_and_sends_nothing()
    {
        var result = Publish(FakeGitHub.Token, "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("to octo-org/experiments@main; nothing is sent", result.Output);
        Assert.Matches(@"\s18 B  blob    reports/tiny/plots/loss\.png", result.Output);
        Assert.Contains("inline  reports/tiny/README.md", result.Output);
        Assert.Contains("Publish tiny report [skip ci]", result.Output);
        Assert.Empty(_github.Requests);
    }
}
