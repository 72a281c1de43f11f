using Runner.Tests.Fixtures;
using static Runner.Tests.Workflow.WorkflowScripts;

namespace Runner.Tests.Workflow;

/// <summary>
/// Consecutive pushes played the way the experiments workflow runs them on a self-hosted runner: the workspace is
/// cleaned (<c>git clean -ffdx</c>, as actions/checkout does) before each job, the runner home lives outside it, and
/// plan → shard → gather run the workflow's own scripts, publishing to <see cref="FakeGitHub"/>.
/// </summary>
public sealed class TwoPushesTests : IAsyncLifetime
{
    private readonly FakeGitHub _github = new();
    private readonly TinyExperiment _experiment = new();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "runner-pushes-" + Guid.NewGuid().ToString("N")[..8]);
    private string Developer => Path.Combine(_root, "dev");
    private string Workspace => Path.Combine(_root, "workspace");
    private string Home => Path.Combine(_root, "home");

    public Task InitializeAsync()
    {
        _github.Repo.Seed("main", new Dictionary<string, string> { ["README.md"] = "# experiments\n" });
        Directory.CreateDirectory(_root);
        Git(_root, "clone", "-q", _github.Repo.Path, Developer);
        TinyExperiment.CopyDirectory(Path.Combine(_experiment.Root, "data"), Path.Combine(Developer, "data"));
        Directory.CreateDirectory(Path.Combine(Developer, "experiments"));
        File.Copy(_experiment.Yaml, Experiment);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _github.DisposeAsync();
        _experiment.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private string Experiment => Path.Combine(Developer, "experiments", "tiny.yaml");

    /// <summary>The developer commits everything and pushes main; returns (before, after) as the push event carries them.</summary>
    private (string Before, string Sha) Push(string message)
    {
        Git(Developer, "pull", "-q", "--ff-only");
        var before = Git(Developer, "rev-parse", "HEAD");
        Git(Developer, "add", "-A");
        Git(Developer, "commit", "-q", "-m", message);
        Git(Developer, "push", "-q", "origin", "main");
        return (before, Git(Developer, "rev-parse", "HEAD"));
    }

    private sealed record Job(string Plan, RunnerProcess.Result Shard, RunnerProcess.Result? Gather);

    /// <summary>One workflow run: checkout (cleaned), plan, the one shard, then gather and publish unless the shard job dies.</summary>
    private Job Workflow((string Before, string Sha) push, IReadOnlyDictionary<string, string>? shardEnvironment = null, bool gather = true)
    {
        if (!Directory.Exists(Workspace)) Git(_root, "clone", "-q", _github.Repo.Path, Workspace);
        Git(Workspace, "fetch", "-q", "origin");
        Git(Workspace, "checkout", "-q", "--force", push.Sha);
        Git(Workspace, "clean", "-ffdx", "-q");
        var archives = Path.Combine(_root, "temp-" + push.Sha[..8]);
        var environment = new Dictionary<string, string>
        {
            ["EVENT"] = "push", ["REF"] = "refs/heads/main", ["BEFORE"] = push.Before, ["SHA"] = push.Sha, ["DEFAULT_BRANCH"] = "main",
            ["RUNNER_HOME"] = Home, ["DEVICE"] = "cpu", ["ARCHIVES"] = archives,
            ["GITHUB_TOKEN"] = FakeGitHub.Token, ["GITHUB_API_URL"] = _github.ApiUrl, ["GITHUB_REPOSITORY"] = $"{FakeGitHub.Owner}/{FakeGitHub.Name}",
            ["GITHUB_SHA"] = push.Sha, ["GITHUB_REF_NAME"] = "main", ["GITHUB_HEAD_REF"] = "", ["GITHUB_EVENT_PATH"] = "", ["GITHUB_SERVER_URL"] = "",
        };
        var files = Script(Workspace, "changed-experiments.sh", environment).Ok().Output.Trim();
        var shard = Script(Workspace, "run-experiments.sh", new Dictionary<string, string>(environment.Concat(shardEnvironment ?? new Dictionary<string, string>())) { ["SHARD"] = "1/1" }, files);
        return new Job(files, shard, gather ? Script(Workspace, "publish-reports.sh", environment, files) : null);
    }

    private static string[] Executed(RunnerProcess.Result result) =>
        [.. result.Output.Split('\n').Where(l => l.Contains(": done in ")).Select(l => l[(l.IndexOf(']') + 2)..l.IndexOf(": done in ", StringComparison.Ordinal)])];

    [Fact]
    public void A_second_push_executes_and_publishes_nothing_and_a_killed_job_keeps_what_finished_for_the_next_push()
    {
        var first = Workflow(Push("tiny experiment"));
        Assert.Equal("experiments/tiny.yaml", first.Plan);
        first.Shard.Ok();
        Assert.Contains("train:mobilenet_v2", Executed(first.Shard));
        Assert.Contains("Published reports/tiny", first.Gather!.Ok().Output);
        var published = _github.Repo.Head("main")!;

        File.AppendAllText(Experiment, "# a note that changes no setting\n");
        var push = Push("note");
        var second = Workflow(push);
        Assert.Empty(Executed(second.Shard.Ok()));
        Assert.Empty(Executed(second.Gather!.Ok()));
        Assert.Contains("Nothing changed", second.Gather!.Output);
        Assert.Equal(push.Sha, _github.Repo.Head("main")); // no report commit on top of the push
        Assert.True(_github.Repo.IsAncestor(published, push.Sha));

        File.WriteAllText(Experiment, File.ReadAllText(Experiment).Replace("  - { name: mobilenet_v2, epochs: 1 }",
            "  - { name: mobilenet_v2, epochs: 1 }\n  - { name: second, arch: mobilenet_v2, epochs: 1, seed: 2 }\n  - { name: third, arch: mobilenet_v2, epochs: 3, seed: 3 }"));
        var killed = Workflow(Push("two more backbones"), new Dictionary<string, string> { ["RUNNER_TEST_ABORT_AFTER_EPOCH"] = "2" }, gather: false);
        Assert.Equal(137, killed.Shard.ExitCode); // the job dies while training 'third'
        Assert.Contains("train:second", Executed(killed.Shard));
        Assert.DoesNotContain("train:third", Executed(killed.Shard));

        File.AppendAllText(Experiment, "# try again\n");
        var next = Workflow(Push("again"));
        Assert.DoesNotContain("train:second", Executed(next.Shard.Ok()));
        Assert.DoesNotContain("eval:second", Executed(next.Shard));
        Assert.Contains("train:third", Executed(next.Shard));
        var log = string.Concat(Directory.GetFiles(Path.Combine(Workspace, ".runner", "logs")).Select(File.ReadAllText));
        Assert.Contains("resuming train:third from epoch 3", log);
        Assert.Contains("Published reports/tiny", next.Gather!.Ok().Output);
    }
}
