using Runner.Core.Publishing;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Publishing;

public sealed class CommentTests : IAsyncLifetime
{
    private readonly FakeGitHub _github = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _github.DisposeAsync();

    private CommentPoster Poster(string branch = "main") => new(_github.Client(), _github.Target(branch), Serilog.Core.Logger.None);

    [Fact]
    public async Task Commit_comment_is_updated_in_place_on_later_runs()
    {
        var marker = SummaryComment.Marker("tiny");
        await Poster().OnCommitAsync("abc123", marker, $"{marker}\nfirst");
        _github.Comments.Add((1, "commits/abc123", "a person's comment"));

        await Poster().OnCommitAsync("abc123", marker, $"{marker}\nsecond");

        Assert.Equal(2, _github.Comments.Count);
        var mine = Assert.Single(_github.Comments, c => c.Body.Contains(marker));
        Assert.Equal(("commits/abc123", $"{marker}\nsecond"), (mine.On, mine.Body));
    }

    [Fact]
    public async Task Pull_request_comment_goes_to_the_branch_s_open_pull_request_and_is_updated_in_place()
    {
        _github.PullRequests[7] = "experiments/lr";
        var marker = SummaryComment.Marker("tiny");

        await Poster("experiments/lr").OnPullRequestAsync(marker, $"{marker}\nfirst", eventPath: null);
        var url = await Poster("experiments/lr").OnPullRequestAsync(marker, $"{marker}\nsecond", eventPath: null);

        var comment = Assert.Single(_github.Comments);
        Assert.Equal(("issues/7", $"{marker}\nsecond"), (comment.On, comment.Body));
        Assert.NotNull(url);
        Assert.Null(await Poster("no-pr-branch").OnPullRequestAsync(marker, "x", eventPath: null));
    }

    [Fact]
    public void Summary_lists_backbones_and_ensembles_and_stays_under_github_s_limit()
    {
        var small = SummaryComment.Body(ReportCheckout.SampleResults(2), "https://example.com/r", "0123456789abcdef");
        Assert.StartsWith(SummaryComment.Marker("tiny"), small);
        Assert.Contains("| backbone_with_a_long_descriptive_name_00001 | 0.6931 | 0.5000 | 4.25 | 2.5 |", small);
        Assert.Contains("| pair (mean) | 0.6931 | 0.5000 | 8.50 | |", small);
        Assert.Contains("commit 0123456789ab", small);

        var huge = SummaryComment.Body(ReportCheckout.SampleResults(3000), "https://example.com/r", null);
        Assert.True(huge.Length <= SummaryComment.MaxLength, $"{huge.Length} characters");
        Assert.Matches(@"_… \d+ more rows in the full report._\n$", huge);
    }

    [Fact]
    public void With_figures_from_two_machines_the_summary_names_them_and_each_time_says_which_measured_it()
    {
        var sample = ReportCheckout.SampleResults(1);
        var (laptop, server) = (TestMachines.Cpu(threads: 1, model: "Laptop CPU"), TestMachines.Cpu(threads: 2, model: "Server CPU"));
        var mixed = sample with
        {
            Machines = [laptop, server],
            Backbones = [sample.Backbones[0] with
            {
                Train = sample.Backbones[0].Train with { Machine = laptop.Id }, Timing = sample.Backbones[0].Timing with { Machine = server.Id },
            }],
        };

        var body = SummaryComment.Body(mixed, "https://example.com/r", null);

        Assert.Contains("· M1: Laptop CPU, 2 cores, 1 thread; M2: Server CPU, 2 cores, 2 threads", body);
        Assert.Contains("| backbone_with_a_long_descriptive_name_00000 | 0.6931 | 0.5000 | 4.25 (M2) | 2.5 (M1) |", body);
    }
}
