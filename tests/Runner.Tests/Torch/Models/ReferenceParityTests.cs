using TorchSharp;
using TorchSharp.PyBridge;
using Runner.Tests.Fixtures;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Models;

/// <summary>
/// For every registered architecture, a state_dict written by an independent PyTorch reference (torchvision 0.14; for
/// Xception, the fixture script's model written from timm's) imports strictly into runner's model of the same name, under
/// the key names its releases use (DenseNet's and ViT's older ones included), and the model then computes the reference's
/// logits. The fixtures randomise every weight, norm gamma and beta, class token, position embedding, layer scale and
/// relative-position table, and calibrate-then-shrink the BatchNorm statistics, so eval-mode normalisation matters
/// (EfficientNet-B5–B7, V2 and MaxViT are the BatchNorm eps = 1e-3 cases). ViTs are imported at 224 px, as released, and
/// compared at a smaller size after interpolating their position embedding as torchvision does; Swin runs at 64 px, where
/// windows are padded and shifts dropped. The imported model also has what its architecture declares
/// (<see cref="ArchitectureTests.AssertDeclarations"/>). mlnet_resnet18 is checked against ONNX Runtime instead (OnnxParityTests).
/// </summary>
public sealed class ReferenceParityTests(ReferenceFixtures fixtures) : IClassFixture<ReferenceFixtures>
{
    private static IEnumerable<string> Names => ArchRegistry.Default.All.Where(a => a.Bundled is null).Select(a => a.Name).Order();

    public static TheoryData<string> Architectures => new(Names);

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Reference_state_dict_imports_strictly_and_reproduces_the_logits(string arch)
    {
        using var imported = WeightsImport.Import(fixtures.StateDict(arch), ArchRegistry.Default[arch]);
        Assert.True(imported.Comparison.Matches, imported.Comparison.Describe());
        Assert.Equal(1000, imported.HeadOutputs);
        Assert.Equal(fixtures.Format(arch) == "safetensors" ? "safetensors" : "pytorch", imported.Format);
        ArchitectureTests.AssertDeclarations(ArchRegistry.Default[arch], imported.Model);

        var reference = PyTorchUnpickler.UnpickleStateDict(fixtures.InputsAndLogits(arch));
        using var input = (Tensor)reference["input"]!;
        using var expected = (Tensor)reference["logits"]!;
        var model = WeightsImport.AtImageSize(imported, (int)input.shape[^1]);
        using var resized = ReferenceEquals(model, imported.Model) ? null : model;
        model.eval();
        using var _ = torch.inference_mode();
        using var actual = model.forward(input);

        var scale = expected.abs().max().item<float>();
        var difference = (actual - expected).abs().max().item<float>();
        Assert.True(difference <= 1e-4 * scale, $"{arch}: max |Δlogit| {difference:g3} vs max |logit| {scale:g3}");
    }

    [Fact]
    public void The_fixtures_cover_every_format_real_releases_come_in()
    {
        var formats = Names.Select(fixtures.Format).ToHashSet();
        Assert.Superset(new HashSet<string> { "zip", "legacy", "safetensors" }, formats);
    }
}
