using Runner.Core.Config;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Config;

/// <summary>ExperimentLoader: defaults, per-backbone overrides and built-in fallbacks.</summary>
public sealed class ConfigDefaultsTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _data;

    public ConfigDefaultsTests() => _data = _temp.Sub("dataset");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Backbone_mapping_overrides_defaults_and_scalar_entry_takes_them()
    {
        var spec = Yaml.Parse(Yaml.Lines(
            "name: exp",
            "dataset: { kind: folder, path: " + _data + " }",
            "augmentations:",
            "  light:",
            "    - hflip: { p: 0.25 }",
            "    - corner_crop: { p: 0.5 }",
            "defaults:",
            "  epochs: 5",
            "  batch_size: 16",
            "  optimizer: { name: adam, lr: 0.001 }",
            "  augment: light",
            "  seed: 9",
            "backbones:",
            "  - resnet18",
            "  - { name: mobilenet_v2, epochs: 3, optimizer: { lr: 0.01 }, augment: none }"));

        var resnet = spec.Backbones[0];
        Assert.Equal(("resnet18", "resnet18", 5, 16, 0.001, 9, "light"),
            (resnet.Name, resnet.Arch, resnet.Epochs, resnet.BatchSize, resnet.Optimizer.Lr, resnet.Seed, resnet.AugmentName));
        Assert.Equal([new AugmentOp.HFlip(0.25), new AugmentOp.CornerCrop(0.5, 0.875)], resnet.Augment);

        var mobilenet = spec.Backbones[1];
        Assert.Equal(3, mobilenet.Epochs);
        Assert.Equal(16, mobilenet.BatchSize);           // from defaults
        Assert.Equal(new OptimizerSpec("adam", 0.01), mobilenet.Optimizer); // lr overridden, name inherited
        Assert.Equal(9, mobilenet.Seed);
        Assert.Equal("none", mobilenet.AugmentName);
        Assert.Empty(mobilenet.Augment);
    }

    [Fact]
    public void Built_in_defaults_apply_when_nothing_is_set()
    {
        var spec = Yaml.Parse(Yaml.Lines("dataset: { kind: idx, path: " + _data + " }", "backbones: [resnet18]"));

        Assert.Equal("exp", spec.Name); // from the file name
        Assert.Equal(new SplitSpec(0.1, 0.1, true, 42), spec.Dataset.Split);
        var b = Assert.Single(spec.Backbones);
        Assert.Equal((224, 1, 32, "adam", 1e-4, "all", "none", "none", 42),
            (b.ImageSize, b.Epochs, b.BatchSize, b.Optimizer.Name, b.Optimizer.Lr, b.Trainable, b.Weights, b.AugmentName, b.Seed));
        Assert.Equal(10, spec.Timing.Warmup);
        Assert.Equal(100, spec.Timing.Iterations);
        Assert.Equal([1], spec.Timing.BatchSizes);
        Assert.Equal(new ReportSpec("default", "reports/exp"), spec.Report);
    }

    [Fact]
    public void Image_size_falls_back_to_the_arch_default_unless_set()
    {
        var archs = new FakeArchCatalog(new Dictionary<string, int> { ["resnet18"] = 224, ["mobilenet_v2"] = 160 });
        var spec = Yaml.Parse(Yaml.Lines(
            "dataset: { kind: folder, path: " + _data + " }",
            "backbones:",
            "  - mobilenet_v2",
            "  - { name: r18_small, arch: resnet18, image_size: 96 }",
            "  - { name: r18, arch: resnet18 }"), archs);

        Assert.Equal([("mobilenet_v2", "mobilenet_v2", 160), ("r18_small", "resnet18", 96), ("r18", "resnet18", 224)],
            spec.Backbones.Select(b => (b.Name, b.Arch, b.ImageSize)));
    }

    [Fact]
    public void Defaults_image_size_beats_the_arch_default()
    {
        var spec = Yaml.Parse(Yaml.Lines(
            "dataset: { kind: folder, path: " + _data + " }",
            "defaults: { image_size: 64 }",
            "backbones: [resnet18, mobilenet_v2]"));

        Assert.All(spec.Backbones, b => Assert.Equal(64, b.ImageSize));
    }
}
