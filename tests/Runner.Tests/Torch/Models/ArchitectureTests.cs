using TorchSharp;
using Runner.Torch.Models;
using Runner.Torch.Training;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Models;

public sealed class ArchitectureTests
{
    /// <summary>Reference figures from torchvision's model documentation (its "GFLOPS" are multiply–accumulates).</summary>
    [Theory]
    [InlineData("resnet18", 11_689_512, 1.81)]
    [InlineData("mobilenet_v2", 3_504_872, 0.30)]
    [InlineData("efficientnet_b0", 5_288_548, 0.39)]
    public void Params_and_gmacs_are_measured_at_the_default_size(string name, long parameters, double gmacs)
    {
        var arch = ArchRegistry.Default[name];
        using var model = arch.Create(1000);
        var complexity = Complexity.Measure(model, arch.DefaultImageSize);
        Assert.Equal(parameters, complexity.Params);
        Assert.InRange(complexity.GMacs, gmacs - 0.015, gmacs + 0.015);
        Assert.True(model.training, "measuring must leave the model's mode as it was");
    }

    [Fact]
    public void Every_registered_architecture_builds_with_a_fresh_head_and_the_block_count_it_declares()
    {
        foreach (var arch in ArchRegistry.Default.All)
        {
            using var model = arch.Create(3);
            var head = model.state_dict().Where(p => arch.IsHeadKey(p.Key) && p.Key.EndsWith(".weight", StringComparison.Ordinal)).ToList();
            Assert.True(head.Count >= 1, $"{arch.Name}: no head weight under '{arch.HeadPrefix}'");
            Assert.All(head, h => Assert.Equal(3, h.Value.shape[0]));
            var blocks = arch.Blocks(model);
            Assert.True(arch.BlockCount == blocks.Count,
                $"{arch.Name} declares BlockCount = {arch.BlockCount} but its built model has {blocks.Count} blocks ({string.Join(", ", blocks)}); validation of trainable: last-N reads the declared count");
        }
    }

    [Fact]
    public void Inception_training_loss_adds_the_auxiliary_loss_at_weight_0_4()
    {
        var arch = ArchRegistry.Default["inception_v3"];
        torch.manual_seed(3);
        using var model = arch.Create(1);
        model.eval(); // deterministic: no dropout
        var head = new Head(2);
        using var images = torch.rand(2, 3, 299, 299);
        using var labels = torch.tensor(new long[] { 0, 1 });

        var auxiliary = (IAuxiliaryClassifier)model;
        var (main, aux) = auxiliary.ForwardWithAuxiliary(images);
        var expected = head.Loss(main, labels).item<float>() + 0.4 * head.Loss(aux!, labels).item<float>();
        Assert.Equal(expected, TrainExecutor.Loss(model, head, images, labels).item<float>(), 4);
        Assert.NotEqual(head.Loss(main, labels).item<float>(), expected, 4);
        Assert.Equal(main.data<float>().ToArray(), model.forward(images).data<float>().ToArray());

        using var small = torch.rand(1, 3, 128, 128);
        Assert.Null(auxiliary.ForwardWithAuxiliary(small).Auxiliary); // the branch needs ≥ 299 px
    }
}
