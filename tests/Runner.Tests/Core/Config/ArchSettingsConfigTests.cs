using Runner.Core.Config;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Tests.Fixtures;
using Runner.Torch.Models;

namespace Runner.Tests.Core.Config;

/// <summary>
/// Settings whose meaning depends on the architecture, checked by <c>runner validate</c> from the registry's declarations
/// (no model is built): image sizes an architecture cannot run at, <c>drop_path</c>, and the image size a release tag brings.
/// </summary>
public sealed class ArchSettingsConfigTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Lines 1–4 the dataset, then the given lines.</summary>
    private ExperimentSpec Parse(params string[] lines) =>
        Yaml.Parse(Yaml.Lines(["name: exp", "dataset:", "  kind: folder", $"  path: {_temp.Sub("data")}", .. lines]), ArchRegistry.Default);

    private ConfigException Fails(params string[] lines) =>
        Yaml.Fails(Yaml.Lines(["name: exp", "dataset:", "  kind: folder", $"  path: {_temp.Sub("data")}", .. lines]), ArchRegistry.Default);

    [Fact]
    public void An_image_size_the_architecture_cannot_run_at_is_an_error_naming_sizes_that_work()
    {
        var e = Fails("backbones:",
            "  - { name: vit_b_16, image_size: 100 }", "  - { name: maxvit_t, image_size: 256 }", "  - { name: swin_t, image_size: 16 }");
        Assert.Equal(
        [
            "exp.yaml:6:35: backbones[0]: vit_b_16 needs an image_size that is a multiple of 16, got 100 (nearest that work: 96, 112)",
            "exp.yaml:7:35: backbones[1]: maxvit_t needs an image_size whose feature maps divide by 7 at every stage (224, 448, 672, …), got 256 " +
            "(nearest that work: 224, 445)",
            "exp.yaml:8:33: backbones[2]: swin_t needs image_size ≥ 32, got 16",
        ], e.Errors.Select(error => error.ToString()));

        // Swin pads its windows: any size from 32 runs; ViT any multiple of its patch; MaxViT 224·k.
        var spec = Parse("backbones:",
            "  - { name: swin_t, image_size: 75 }", "  - { name: vit_b_16, image_size: 96 }", "  - { name: maxvit_t, image_size: 448 }");
        Assert.Equal([75, 96, 448], spec.Backbones.Select(b => b.ImageSize));
    }

    [Fact]
    public void A_release_tag_makes_its_crop_the_default_image_size()
    {
        var spec = Parse("backbones:",
            "  - { name: vit_b_16, weights: IMAGENET1K_SWAG_E2E_V1 }",
            "  - { name: vit_b_16.linear, arch: vit_b_16, weights: IMAGENET1K_SWAG_LINEAR_V1 }",
            "  - { name: vit_b_16.small, arch: vit_b_16, weights: IMAGENET1K_SWAG_E2E_V1, image_size: 64 }",
            "  - { name: effnet, arch: efficientnet_v2_s, weights: imagenet }");
        Assert.Equal([384, 224, 64, 384], spec.Backbones.Select(b => b.ImageSize));
    }

    [Fact]
    public void Drop_path_in_defaults_applies_to_the_architectures_with_stochastic_depth_and_enters_only_their_keys()
    {
        var spec = Parse("defaults: { drop_path: 0.3 }", "backbones:", "  - convnext_tiny", "  - resnet18", "  - { name: swin_t, drop_path: 0.05 }");
        Assert.Equal([0.3, null, 0.05], spec.Backbones.Select(b => b.DropPath));

        var convnext = TaskParams.ToJson(TrainParams.Of(spec.Backbones[0], "none"));
        var resnet = TaskParams.ToJson(TrainParams.Of(spec.Backbones[1], "none"));
        Assert.Equal(0.3, convnext["drop_path"]!.GetValue<double>());
        Assert.False(resnet.ContainsKey("drop_path")); // a backbone without stochastic depth keeps the key it had before the setting existed
        var without = Parse("backbones:", "  - resnet18").Backbones[0];
        Assert.Equal(resnet.ToJsonString(), TaskParams.ToJson(TrainParams.Of(without, "none")).ToJsonString());
    }

    [Fact]
    public void Drop_path_on_a_backbone_without_stochastic_depth_is_an_error()
    {
        var e = Fails("backbones:", "  - { name: resnet50, drop_path: 0.1 }", "  - { name: convnext_tiny, drop_path: 1.5 }");
        Assert.Equal(2, e.Errors.Count);
        Assert.StartsWith(
            "exp.yaml:6:34: backbones[0].drop_path: resnet50 has no stochastic depth; drop_path applies to convnext_base, convnext_large",
            e.Errors[0].ToString(), StringComparison.Ordinal);
        Assert.Contains("maxvit_t", e.Errors[0].Message);
        Assert.DoesNotContain("vit_b_16", e.Errors[0].Message);
        Assert.StartsWith("exp.yaml:7:39: backbones[1].drop_path: 1.5 is out of range", e.Errors[1].ToString(), StringComparison.Ordinal);
    }
}
