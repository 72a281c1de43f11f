using System.Text;
using Runner.Core.Publishing;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Publishing;

/// <summary>The Git Data API flow against <see cref="FakeGitHub"/>; the resulting commits are checked with git itself.</summary>
public sealed class PublisherTests : IAsyncLifetime
{
    private readonly FakeGitHub _github = new();
    private readonly ReportCheckout _report = new();
    private string _seed = "";

    public Task InitializeAsync()
    {
        _seed = _github.Repo.Seed("main", new Dictionary<string, string>
        {
            ["README.md"] = "# experiments\n",
            ["src/keep.txt"] = "untouched\n",
            ["reports/tiny/stale.txt"] = "from an older run\n",
            ["reports/tiny/plots/removed_backbone.png"] = "a backbone no longer in the experiment\n",
            ["reports/tiny-v2/README.md"] = "a sibling whose name starts the same\n",
            ["reports/other/README.md"] = "another experiment\n",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _github.DisposeAsync();
        _report.Dispose();
    }

    private const string Message = "Publish tiny report [skip ci]\n\nSource commit: 0123abcd";

    [Fact]
    public async Task Report_folder_becomes_one_commit_on_the_branch_replacing_the_old_folder_and_keeping_the_rest()
    {
        var result = await _github.Publisher().CommitAsync(_report.Snapshot(), Message);

        var repo = _github.Repo;
        var head = repo.Head("main")!;
        Assert.Equal(head, result.CommitSha);
        Assert.Equal((3, 0, 2), (result.Added, result.Changed, result.Removed));
        Assert.Equal(_seed, repo.Git("rev-parse", $"{head}^").Trim());
        Assert.Equal(Message, repo.Git("log", "-1", "--format=%B", head).Trim());
        var files = repo.Files(head);
        Assert.Equal(["README.md", "reports/other/README.md", "reports/tiny-v2/README.md", "reports/tiny/README.md", "reports/tiny/plots/loss.png", "reports/tiny/results.json", "src/keep.txt"],
            files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ReportCheckout.Png, repo.Bytes($"{head}:reports/tiny/plots/loss.png"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_report.Output, "results.json")), repo.Bytes($"{head}:reports/tiny/results.json"));
        Assert.Equal(repo.Files(_seed)["src/keep.txt"], files["src/keep.txt"]);
        Assert.Equal(1, _github.Count("POST", "/git/blobs")); // only the binary plot; text went inline in the tree
    }

    [Fact]
    public async Task Publishing_the_same_report_again_makes_no_commit()
    {
        var first = await _github.Publisher().CommitAsync(_report.Snapshot(), Message);
        var trees = _github.Count("POST", "/git/trees");

        var second = await _github.Publisher().CommitAsync(_report.Snapshot(), Message);

        Assert.False(second.Committed);
        Assert.Equal(first.CommitSha, _github.Repo.Head("main"));
        Assert.Equal(trees, _github.Count("POST", "/git/trees"));
        Assert.Equal(1, _github.Count("POST", "/git/commits"));
    }

    [Fact]
    public async Task A_changed_file_is_committed_alone_and_unchanged_blobs_are_not_uploaded_again()
    {
        await _github.Publisher().CommitAsync(_report.Snapshot(), Message);
        _report.Write("README.md", "# tiny\n\nbetter now\n");

        var result = await _github.Publisher().CommitAsync(_report.Snapshot(), Message);

        Assert.Equal((0, 1, 0), (result.Added, result.Changed, result.Removed));
        Assert.Equal("# tiny\n\nbetter now\n", Encoding.UTF8.GetString(_github.Repo.Bytes("main:reports/tiny/README.md")));
        Assert.Equal(1, _github.Count("POST", "/git/blobs"));
    }

    [Fact]
    public async Task When_the_branch_moves_meanwhile_the_commit_is_rebuilt_on_the_new_head()
    {
        string? other = null;
        _github.BeforeRefUpdate = branch => other ??= _github.Repo.PushOther(branch, "notes.txt", "pushed meanwhile\n");

        var result = await _github.Publisher().CommitAsync(_report.Snapshot(), Message);

        Assert.Equal(2, result.Attempts);
        var head = _github.Repo.Head("main")!;
        Assert.Equal(result.CommitSha, head);
        Assert.Equal(other, _github.Repo.Git("rev-parse", $"{head}^").Trim());
        Assert.Contains("notes.txt", _github.Repo.Files(head).Keys);
        Assert.Contains("reports/tiny/plots/loss.png", _github.Repo.Files(head).Keys);
    }

    [Fact]
    public async Task A_branch_that_keeps_moving_fails_clearly_after_the_bounded_attempts_without_forcing()
    {
        var pushes = 0;
        _github.BeforeRefUpdate = branch => _github.Repo.PushOther(branch, $"notes-{pushes++}.txt", "busy\n");

        var e = await Assert.ThrowsAsync<PublishException>(() => _github.Publisher().CommitAsync(_report.Snapshot(), Message));

        Assert.Equal(1, e.ExitCode);
        Assert.Contains("moved during each of 3 attempts", e.Message);
        Assert.Equal(3, pushes);
        Assert.DoesNotContain("reports/tiny/README.md", _github.Repo.Files("main").Keys);
    }

    private readonly List<TimeSpan> _waits = [];

    private GitHubRetry Retry(TextWriter? output = null) => new(output ?? TextWriter.Null)
    {
        Delay = wait => { _waits.Add(wait); return Task.CompletedTask; },
    };

    [Fact]
    public async Task A_short_rate_limit_is_waited_out_and_a_long_one_fails_clearly()
    {
        _github.Canned.Enqueue(FakeGitHub.CannedReply.RateLimit(DateTimeOffset.UtcNow.AddSeconds(30)));
        var output = new StringWriter();

        var result = await Retry(output).RunAsync(() => _github.Publisher().CommitAsync(_report.Snapshot(), Message));

        Assert.True(result.Committed);
        Assert.InRange(Assert.Single(_waits).TotalSeconds, 30, 32);
        Assert.Contains("rate limit is used up; trying again in", output.ToString());

        _github.Canned.Enqueue(FakeGitHub.CannedReply.RateLimit(DateTimeOffset.UtcNow.AddHours(1)));
        var e = await Assert.ThrowsAsync<Octokit.RateLimitExceededException>(() =>
            Retry().RunAsync(() => _github.Publisher().CommitAsync(_report.Snapshot(), Message)));
        var explained = GitHubErrors.Explain(e, _github.Target());
        Assert.Equal(1, explained.ExitCode);
        Assert.Contains("rate limit is used up until", explained.Message);
        Assert.Single(_waits);
    }

    [Fact]
    public async Task Server_errors_and_the_secondary_rate_limit_are_retried_with_growing_waits_then_the_report_is_committed()
    {
        _github.Canned.Enqueue(FakeGitHub.CannedReply.SecondaryRateLimit(429, retryAfter: null));
        _github.Canned.Enqueue(FakeGitHub.CannedReply.ServerError(502));
        _github.Canned.Enqueue(FakeGitHub.CannedReply.HtmlPage(503)); // a load balancer's page
        _github.Canned.Enqueue(FakeGitHub.CannedReply.SecondaryRateLimit(403, retryAfter: 7));

        var result = await Retry().RunAsync(() => _github.Publisher().CommitAsync(_report.Snapshot(), Message));

        Assert.True(result.Committed);
        Assert.Equal(result.CommitSha, _github.Repo.Head("main"));
        // Retry n waits (2 s or, without retry-after, one minute) × 2^n, or what retry-after says.
        Assert.Equal([60, 4, 8, 7], _waits.Select(w => w.TotalSeconds));
    }

    [Fact]
    public async Task Retries_are_bounded_and_the_last_failure_is_explained_without_touching_the_branch()
    {
        for (var i = 0; i < 5; i++) _github.Canned.Enqueue(FakeGitHub.CannedReply.ServerError(500));

        var e = await Assert.ThrowsAsync<Octokit.ApiException>(() => Retry().RunAsync(() => _github.Publisher().CommitAsync(_report.Snapshot(), Message)));

        Assert.Equal(4, _waits.Count);
        Assert.Equal(_seed, _github.Repo.Head("main"));
        var explained = GitHubErrors.Explain(e, _github.Target());
        Assert.Equal(1, explained.ExitCode);
        Assert.StartsWith("GitHub API error 500 even after retrying", explained.Message);
    }

    [Fact]
    public async Task Errors_that_waiting_cannot_fix_are_not_retried()
    {
        await Assert.ThrowsAsync<Octokit.NotFoundException>(() =>
            Retry().RunAsync(() => _github.Publisher("no-such-branch").CommitAsync(_report.Snapshot(), Message)));
        _github.Canned.Enqueue(FakeGitHub.CannedReply.HtmlPage(200));
        var html = await Assert.ThrowsAsync<NotJsonReplyException>(() => Retry().RunAsync(() => _github.Publisher().CommitAsync(_report.Snapshot(), Message)));

        Assert.Empty(_waits);
        Assert.Equal(200, html.Status);
    }

    [Fact]
    public void Git_ids_computed_locally_match_git_and_only_utf8_text_goes_inline()
    {
        var files = _report.Snapshot().Files.ToDictionary(f => f.Path);
        Assert.Equal(_github.Repo.HashObject(ReportCheckout.Png), files["plots/loss.png"].GitSha);
        Assert.Null(files["plots/loss.png"].InlineText);
        Assert.Equal(File.ReadAllText(Path.Combine(_report.Output, "README.md")), files["README.md"].InlineText);
        Assert.Equal("reports/tiny", _report.Snapshot().Folder);
    }

    [Fact]
    public async Task Symbolic_links_in_the_report_folder_are_refused_and_their_targets_never_uploaded()
    {
        var outside = Directory.CreateTempSubdirectory("runner-outside-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(outside, "secret.txt"), "not for GitHub\n");
            File.CreateSymbolicLink(Path.Combine(_report.Output, "passwd"), "/etc/passwd");

            var e = await Assert.ThrowsAsync<PublishException>(() => _github.Publisher().CommitAsync(_report.Snapshot(), Message));

            Assert.Equal(2, e.ExitCode);
            Assert.Contains("passwd is a symbolic link (to /etc/passwd); publish uploads only regular files inside the report folder", e.Message);
            File.Delete(Path.Combine(_report.Output, "passwd"));
            Directory.CreateSymbolicLink(Path.Combine(_report.Output, "plots", "more"), outside);
            Assert.Contains($"plots/more is a symbolic link (to {outside})", Assert.Throws<PublishException>(() => _report.Snapshot()).Message);
            Assert.Equal(0, _github.Count("POST", "/git/blobs"));
            Assert.Equal(_seed, _github.Repo.Head("main"));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void A_file_over_githubs_limit_is_refused_unread()
    {
        using (var huge = File.Create(Path.Combine(_report.Output, "predictions.csv")))
            huge.SetLength(ReportSnapshot.MaxFileBytes + 1); // sparse: no disk, no memory

        var e = Assert.Throws<PublishException>(() => _report.Snapshot());

        Assert.Equal(2, e.ExitCode);
        Assert.Contains("predictions.csv is 100,000,001 bytes; GitHub refuses files over 100 MB", e.Message);
    }
}
