using OpenCvSharp;
using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Core.Planning;
using Runner.Tests.Fixtures;
using Runner.Torch.Models;
using Runner.Cli;

namespace Runner.Tests.EndToEnd;

/// <summary>
/// experiments/all.yaml (the original study) against a tiny dogs-vs-cats folder in Kaggle's layout, staged in a temp
/// folder: relative paths resolve from the folder runner runs in, so all.yaml is copied there.
/// </summary>
public sealed class AllExperimentTests : IDisposable
{
    private readonly TempDir _temp = new();

    public AllExperimentTests()
    {
        var train = _temp.Sub("data", "dogs-vs-cats", "train");
        var test = _temp.Sub("data", "dogs-vs-cats", "test");
        var color = new Scalar(90, 120, 150);
        for (var i = 0; i < 10; i++)
        {
            TestImages.Solid(Path.Combine(train, $"cat.{i}.jpg"), 8, 8, color);
            TestImages.Solid(Path.Combine(train, $"dog.{i}.jpg"), 8, 8, color);
        }
        for (var i = 1; i <= 3; i++) TestImages.Solid(Path.Combine(test, $"{i}.jpg"), 8, 8, color);
        File.Copy(Path.Combine(ReferenceFixtures.RepoRoot(), "experiments", "all.yaml"), Path.Combine(_temp.Path, "all.yaml"));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Validate_finds_nothing_wrong_and_notes_the_weights_to_fetch_before_training()
    {
        var home = _temp.Sub("runner-home");
        var result = RunnerProcess.Run(_temp.Path, new Dictionary<string, string> { ["RUNNER_HOME"] = home }, "validate", "all.yaml");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        var notes = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("note: all.yaml:", StringComparison.Ordinal)).ToList();
        string[] backbones = ["mobilenet_v2", "inception_v3", "xception", .. Enumerable.Range(0, 6).Select(i => $"efficientnet_b{i}")];
        Assert.Equal(backbones.Length, notes.Count);
        Assert.All(backbones, b => Assert.Single(notes, e => e.Contains($"backbone '{b}'") && e.Contains("no 'imagenet' weights") &&
            e.Contains("before its training runs")));
        Assert.False(Directory.Exists(Path.Combine(home, "weights")), "validate imports nothing");
    }

    [Fact]
    public void The_study_plans_nine_backbones_and_two_stacking_ensembles()
    {
        // In-process, the dataset path made absolute (the test process does not run in the staged folder).
        var yaml = File.ReadAllText(Path.Combine(_temp.Path, "all.yaml")).Replace("data/dogs-vs-cats/", Path.Combine(_temp.Path, "data", "dogs-vs-cats") + "/");
        var spec = new ExperimentLoader(ArchRegistry.Default).Parse(yaml, "all.yaml");
        var (digest, files) = DatasetScanner.Fingerprint(spec.Dataset);
        var listing = DatasetScanner.List(spec.Dataset);
        var graph = Yaml.Plan(spec, new PlanInputs(digest, files, Yaml.Inputs().Hardware, "templates"));

        Assert.Equal(["cat", "dog"], listing.Classes);
        Assert.Equal(20, listing.Items.Count);
        Assert.Equal(3, listing.Predict!.Count);
        Assert.Equal(["mobilenet_v2", "inception_v3", "xception", "efficientnet_b0", "efficientnet_b1", "efficientnet_b2",
            "efficientnet_b3", "efficientnet_b4", "efficientnet_b5"], spec.Backbones.Select(b => b.Name));
        Assert.All(spec.Backbones, b =>
        {
            Assert.Equal((10, "imagenet", "all", "article"), (b.Epochs, b.Weights, b.Trainable, b.AugmentName));
            Assert.Equal(new OptimizerSpec("adam", 1e-4), b.Optimizer);
            Assert.Equal(b.Arch is "inception_v3" or "xception" ? 299 : 224, b.ImageSize);
        });
        Assert.Equal(2, spec.Backbones[0].Augment.Count);
        Assert.Equal(["classic", "efficientnets"], spec.Ensembles.Select(e => e.Name));
        Assert.All(spec.Ensembles, e => Assert.Equal(("stacking", "logits", 10, 1e-3), (e.Method, e.Inputs, e.Epochs, e.Lr)));
        Assert.All(spec.Ensembles, e => Assert.Equal([32, 8], e.Hidden));
        Assert.Equal(6, spec.Ensembles[1].Members.Count);
        // data, 9 × (train, eval, time), 2 ensembles, report
        Assert.Equal(31, graph.Tasks.Count);
        Assert.Equal(["data", "eval:mobilenet_v2", "eval:inception_v3", "eval:xception"], graph["ensemble:classic"].DependsOn);
    }
}
