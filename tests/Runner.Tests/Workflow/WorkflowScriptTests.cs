using System.IO.Compression;
using Runner.Tests.Fixtures;
using static Runner.Tests.Workflow.WorkflowScripts;

namespace Runner.Tests.Workflow;

/// <summary>The experiments workflow's decisions, made by its scripts: which files a push runs, the matrix, fetching data.</summary>
public sealed class WorkflowScriptTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Repo => _temp.Sub("repo");

    private string Commit(string message, params (string Path, string? Text)[] changes)
    {
        foreach (var (path, text) in changes)
        {
            var full = Path.Combine(Repo, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            if (text is null) File.Delete(full);
            else File.WriteAllText(full, text);
        }
        Git(Repo, "add", "-A");
        Git(Repo, "commit", "-q", "--allow-empty", "-m", message);
        return Git(Repo, "rev-parse", "HEAD");
    }

    private string[] Changed(string @ref, string before, string sha, string? input = null, string @event = "push")
    {
        var result = Script(Repo, "changed-experiments.sh", new Dictionary<string, string>
        {
            ["EVENT"] = @event, ["REF"] = @ref, ["BEFORE"] = before, ["SHA"] = sha, ["DEFAULT_BRANCH"] = "main", ["INPUT"] = input ?? "",
        }).Ok();
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void Pushes_run_the_experiment_files_they_add_change_or_rename_and_tags_run_nothing()
    {
        Git(Repo, "init", "-q", "-b", "main");
        var first = Commit("start", ("experiments/a.yaml", "name: a\n"), ("experiments/b.yaml", "name: b\n"), ("README.md", "x"));
        Git(Repo, "update-ref", "refs/remotes/origin/main", first); // what checkout with fetch-depth: 0 provides
        var renamed = Commit("rename", ("experiments/b.yaml", null), ("experiments/b2.yaml", "name: b\n"));
        Assert.Equal(["experiments/b2.yaml"], Changed("refs/heads/main", first, renamed));

        var edited = Commit("edit", ("experiments/a.yaml", "name: a\n# more\n"), ("README.md", "y"));
        Assert.Equal(["experiments/a.yaml"], Changed("refs/heads/main", renamed, edited));
        Assert.Empty(Changed("refs/heads/main", edited, Commit("docs only", ("README.md", "z"))));
        Assert.Empty(Changed("refs/tags/v1", edited, edited));
        Assert.Equal(["experiments/x.yaml"], Changed("refs/heads/main", edited, edited, "experiments/x.yaml", "workflow_dispatch"));

        // A new branch: before is all zeros; it is compared with where it left the default branch, not with everything.
        Git(Repo, "checkout", "-q", "-b", "topic", first);
        var topic = Commit("topic work", ("experiments/c.yaml", "name: c\n"));
        Assert.Equal(["experiments/c.yaml"], Changed("refs/heads/topic", new string('0', 40), topic));
        // A force push whose old head is gone: the same fallback.
        Assert.Equal(["experiments/c.yaml"], Changed("refs/heads/topic", new string('1', 40), topic));
    }

    [Fact]
    public void The_matrix_crosses_files_with_shards()
    {
        var shards = new Dictionary<string, string> { ["SHARDS"] = "2" };
        Assert.Equal("""{"include":[{"file":"experiments/a.yaml","shard":"1/2"},{"file":"experiments/a.yaml","shard":"2/2"},{"file":"experiments/b.yaml","shard":"1/2"},{"file":"experiments/b.yaml","shard":"2/2"}]}""",
            Script(_temp.Path, "matrix.sh", shards, "experiments/a.yaml", "experiments/b.yaml").Ok().Output.Trim());
        Assert.Equal("""{"include":[]}""", Script(_temp.Path, "matrix.sh", shards, "").Ok().Output.Trim());
        Assert.Equal(2, Script(_temp.Path, "matrix.sh", new Dictionary<string, string> { ["SHARDS"] = "zero" }, "a.yaml").ExitCode);
    }

    [Fact]
    public void Dogs_vs_cats_is_fetched_with_the_kaggle_cli_only_when_missing()
    {
        var home = _temp.Sub("home");
        var experiment = Path.Combine(_temp.Path, "all.yaml");
        File.WriteAllText(experiment, "dataset: { path: data/dogs-vs-cats/train }\n");
        var bin = _temp.Sub("bin");
        var calls = Path.Combine(_temp.Path, "kaggle-calls");
        // A stand-in for the Kaggle CLI: records its arguments and writes the competition zip (train.zip, test.zip inside).
        var zip = Path.Combine(_temp.Path, "competition.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            foreach (var (name, entry) in new[] { ("train.zip", "train/cat.0.jpg"), ("test.zip", "test/1.jpg") })
            {
                var inner = Path.Combine(_temp.Path, name);
                using (var part = ZipFile.Open(inner, ZipArchiveMode.Create)) part.CreateEntry(entry).Open().Dispose();
                archive.CreateEntryFromFile(inner, name);
            }
        File.WriteAllText(Path.Combine(bin, "kaggle"), $"#!/bin/sh\necho \"$*\" >> {calls}\nwhile [ \"$1\" != -p ]; do shift; done\ncp {zip} \"$2/dogs-vs-cats-redux-kernels-edition.zip\"\n");
        File.SetUnixFileMode(Path.Combine(bin, "kaggle"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var environment = new Dictionary<string, string> { ["RUNNER_HOME"] = home, ["RUNNER_DATA"] = "", ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}" };

        var noSecrets = Script(_temp.Path, "fetch-data.sh", environment, experiment);
        Assert.Equal(2, noSecrets.ExitCode);
        Assert.Contains("KAGGLE_USERNAME / KAGGLE_KEY are not set", noSecrets.Error);

        environment["KAGGLE_USERNAME"] = "me";
        environment["KAGGLE_KEY"] = "secret";
        Script(_temp.Path, "fetch-data.sh", environment, experiment).Ok();
        Assert.True(File.Exists(Path.Combine(home, "data", "dogs-vs-cats", "train", "cat.0.jpg")));
        Assert.True(File.Exists(Path.Combine(home, "data", "dogs-vs-cats", "test", "1.jpg")));
        Assert.Empty(Directory.GetFiles(Path.Combine(home, "data", "dogs-vs-cats"), "*.zip"));

        var again = Script(_temp.Path, "fetch-data.sh", environment, experiment).Ok();
        Assert.Contains("is present", again.Output);
        Assert.Single(File.ReadAllLines(calls)); // downloaded once
        Assert.StartsWith("competitions download -c dogs-vs-cats-redux-kernels-edition", File.ReadAllLines(calls)[0]);
    }

    [Fact]
    public void With_a_remote_cache_a_shard_hands_its_entries_on_through_it_and_writes_an_archive_only_while_it_is_down()
    {
        using var server = new S3Server();
        using var experiment = new TinyExperiment();
        var archives = Path.Combine(_temp.Path, "archives");
        Dictionary<string, string> Job(string home) => new(server.Environment("ci"))
        {
            ["RUNNER_HOME"] = _temp.Sub(home), ["DEVICE"] = "cpu", ["ARCHIVES"] = archives, ["SHARD"] = "1/1",
        };

        var shard = Script(experiment.Root, "run-experiments.sh", Job("shard"), "tiny.yaml").Ok();
        var gather = RunnerProcess.Run(experiment.Root, Job("gather"), "run", "tiny.yaml", "--json");
        server.Stop();
        var offline = Script(experiment.Root, "run-experiments.sh", Job("offline"), "tiny.yaml").Ok();

        Assert.Contains("the entries of tiny.yaml are on the remote cache s3://runner-cache/ci", shard.Output);
        Assert.All(EndToEnd.ShardedHandOffEndToEndTests.Outcomes(gather).Values, o => Assert.Equal("cached", o)); // from the remote: a new home
        Assert.Contains("WARNING remote cache s3://runner-cache/ci is unavailable", offline.Error);
        Assert.Equal(["tiny-1of1.tar.gz"], Directory.GetFiles(archives).Select(Path.GetFileName));
    }
}
