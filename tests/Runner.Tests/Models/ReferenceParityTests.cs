using System.Collections;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Runner.Tests.Models;

/// <summary>
/// A state_dict written by torchvision imports strictly into runner's model of the same name, and the model then
/// computes torchvision's logits. EfficientNet-B5 is the BatchNorm eps = 1e-3 case; the fixtures randomise
/// BatchNorm statistics so eval-mode normalisation matters.
/// </summary>
public sealed class TorchVisionParityTests(ReferenceFixtures fixtures) : IClassFixture<ReferenceFixtures>
{
    [Theory]
    [InlineData("resnet18")]
    [InlineData("mobilenet_v2")]
    [InlineData("mobilenet_v3_large")]
    [InlineData("efficientnet_b0")]
    [InlineData("efficientnet_b5")]
    [InlineData("inception_v3")]
    public void Torchvision_state_dict_imports_strictly_and_reproduces_the_logits(string arch)
    {
        using var imported = WeightsImport.Import(fixtures.StateDict(arch), ArchRegistry.Default[arch]);
        Assert.True(imported.Comparison.Matches, imported.Comparison.Describe());
        Assert.Equal(1000, imported.HeadOutputs);

        var reference = PyTorchUnpickler.UnpickleStateDict(fixtures.InputsAndLogits(arch));
        using var input = (Tensor)reference["input"]!;
        using var expected = (Tensor)reference["logits"]!;
        imported.Model.eval();
        using var _ = torch.inference_mode();
        using var actual = ((nn.Module<Tensor, Tensor>)imported.Model).forward(input);

        var scale = expected.abs().max().item<float>();
        var difference = (actual - expected).abs().max().item<float>();
        Assert.True(difference <= 1e-4 * scale, $"{arch}: max |Δlogit| {difference:g3} vs max |logit| {scale:g3}");
    }
}
