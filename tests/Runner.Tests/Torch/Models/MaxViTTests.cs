using TorchSharp;
using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Models;

/// <summary>MaxViT's partitions need every stage's map to divide by 7: which sizes run, and that one off its native size does.</summary>
public sealed class MaxViTTests
{
    [Theory]
    [InlineData(224, true)]
    [InlineData(221, true)] // the stride-2 convolutions round up: 221 px still gives 112, 56, 28, 14, 7
    [InlineData(448, true)]
    [InlineData(220, false)]
    [InlineData(256, false)]
    [InlineData(384, false)]
    public void Image_sizes_whose_stage_maps_divide_by_7_are_accepted(int size, bool accepted) =>
        Assert.Equal(accepted, MaxViT.AcceptsImageSize(size));

    [Fact]
    public void It_runs_at_448_px_and_explains_a_size_that_does_not_divide()
    {
        var arch = ArchRegistry.Default["maxvit_t"];
        torch.manual_seed(7);
        using var model = arch.Create(5);
        model.eval();
        using var _ = torch.inference_mode();
        using var logits = model.forward(torch.rand(1, 3, 448, 448));
        Assert.Equal([1L, 5], logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());

        var e = Assert.Throws<ArgumentException>(() => model.forward(torch.rand(1, 3, 256, 256)));
        Assert.Contains("use an image size of 224, 448", e.Message);
    }
}
