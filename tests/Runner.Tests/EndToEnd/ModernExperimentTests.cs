using OpenCvSharp;
using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Core.Planning;
using Runner.Tests.Fixtures;
using Runner.Torch.Models;
using Runner.Torch.Weights;

namespace Runner.Tests.EndToEnd;

/// <summary>experiments/modern.yaml (the study's comparison with today's families) against a tiny dogs-vs-cats folder in Kaggle's layout.</summary>
public sealed class ModernExperimentTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_comparison_plans_nineteen_backbones_at_the_studys_size_and_four_ensembles_over_released_weights()
    {
        var train = _temp.Sub("data", "dogs-vs-cats", "train");
        var test = _temp.Sub("data", "dogs-vs-cats", "test");
        for (var i = 0; i < 4; i++)
        {
            TestImages.Solid(Path.Combine(train, $"cat.{i}.jpg"), 8, 8, new Scalar(90, 120, 150));
            TestImages.Solid(Path.Combine(train, $"dog.{i}.jpg"), 8, 8, new Scalar(90, 120, 150));
        }
        TestImages.Solid(Path.Combine(test, "1.jpg"), 8, 8, new Scalar(90, 120, 150));
        var file = Path.Combine(ReferenceFixtures.RepoRoot(), "experiments", "modern.yaml");
        var yaml = File.ReadAllText(file).Replace("data/dogs-vs-cats/", Path.Combine(_temp.Path, "data", "dogs-vs-cats") + "/");
        var spec = new ExperimentLoader(ArchRegistry.Default).Parse(yaml, "modern.yaml");
        var (digest, files) = DatasetScanner.Fingerprint(spec.Dataset);
        var graph = Yaml.Plan(spec, new PlanInputs(digest, files, Yaml.Inputs().Hardware, "templates"));

        Assert.Equal(19, spec.Backbones.Count);
        Assert.All(spec.Backbones, b => Assert.Equal(b.Arch is "inception_v3" or "xception" ? 299 : 224, b.ImageSize));
        Assert.All(spec.Backbones, b => Assert.Equal((10, "imagenet", "all"), (b.Epochs, b.Weights, b.Trainable)));
        Assert.Equal(["classic", "efficientnets", "modern", "modern_features"], spec.Ensembles.Select(e => e.Name));
        // data, 19 × (train, eval, time), 5 features, 4 ensembles, report
        Assert.Equal(1 + 19 * 3 + 5 + 4 + 1, graph.Tasks.Count);

        // An empty store lacks every backbone's default release, each published by torchvision (or timm, for Xception).
        var store = new WeightsStore(_temp.Sub("weights"));
        var missing = ExperimentWeights.MissingReleases(spec, ArchRegistry.Default, store).ToList();
        Assert.Equal(spec.Backbones.Select(b => b.Arch), missing.Select(m => m.Arch.Name));
        Assert.All(missing, m => Assert.Equal("imagenet", m.Name));
        Assert.All(missing.Where(m => m.Arch.Name != "xception"), m => Assert.NotNull(FetchSource.For(m.Arch).ExpectedSha256));
    }
}
