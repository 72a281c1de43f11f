using TorchSharp;
using Runner.Torch.Ensembles;
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
    [InlineData("regnet_y_400mf", 4_344_144, 0.40)]
    [InlineData("shufflenet_v2_x1_0", 2_278_604, 0.14)]
    [InlineData("mnasnet1_0", 4_383_312, 0.31)]
    [InlineData("densenet121", 7_978_856, 2.83)]
    [InlineData("convnext_tiny", 28_589_128, 4.46)]
    [InlineData("vit_b_16", 86_567_656, 17.56)] // attention counted too: its projections and both products
    [InlineData("swin_t", 28_288_354, 4.49)]
    [InlineData("maxvit_t", 30_919_624, 5.56)]
    public void Params_and_gmacs_are_measured_at_the_default_size(string name, long parameters, double gmacs)
    {
        var arch = ArchRegistry.Default[name];
        using var model = arch.Create(1000);
        var complexity = Complexity.Measure(model, arch.DefaultImageSize);
        Assert.Equal(parameters, complexity.Params);
        Assert.InRange(complexity.GMacs, gmacs - 0.015, gmacs + 0.015);
        Assert.True(model.training, "measuring must leave the model's mode as it was");
    }

    /// <summary>
    /// One architecture of each family (every registered architecture's declarations are checked on the model its parity test imports).
    /// </summary>
    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnext50_32x4d")]
    [InlineData("wide_resnet50_2")]
    [InlineData("mlnet_resnet18")]
    [InlineData("mobilenet_v2")]
    [InlineData("mobilenet_v3_small")]
    [InlineData("inception_v3")]
    [InlineData("xception")]
    [InlineData("efficientnet_b0")]
    [InlineData("efficientnet_v2_s")]
    [InlineData("densenet121")]
    [InlineData("shufflenet_v2_x0_5")]
    [InlineData("mnasnet0_5")]
    [InlineData("regnet_x_400mf")]
    [InlineData("regnet_y_400mf")]
    [InlineData("convnext_tiny")]
    [InlineData("vit_b_32")]
    [InlineData("swin_t")]
    [InlineData("swin_v2_t")]
    [InlineData("maxvit_t")]
    public void Each_family_builds_with_a_fresh_head_and_what_it_declares(string name)
    {
        var arch = ArchRegistry.Default[name];
        using var model = arch.Create(3);
        var head = model.state_dict().Where(p => arch.IsHeadKey(p.Key) && p.Key.EndsWith(".weight", StringComparison.Ordinal)).ToList();
        Assert.True(head.Count >= 1, $"{arch.Name}: no head weight under '{arch.HeadPrefix}'");
        Assert.All(head, h => Assert.Equal(3, h.Value.shape[0]));
        Assert.All(model.named_parameters(), p => Assert.True(p.parameter.isfinite().all().item<bool>(), $"{p.name} is not finite"));
        AssertDeclarations(arch, model);

        // Pre-logits for inputs: features: the head becomes the identity and the model outputs its input's width.
        var width = FeaturesExecutor.ExposeFeatures(model, arch);
        var size = Enumerable.Range(Math.Max(arch.MinImageSize, 64), 512).First(s => arch.ImageSizeProblem(s) is null);
        model.eval();
        using var _ = torch.inference_mode();
        using var features = model.forward(torch.rand(1, 3, size, size));
        Assert.Equal([1L, width], features.shape);
    }

    /// <summary>torchvision's trunc_normal_(std=0.02) initialisers: TorchSharp's returned NaN for an element in tens of millions.</summary>
    [Fact]
    public void The_truncated_normal_initialiser_is_finite_and_has_its_spread()
    {
        using var weights = torch.empty(20_000_000);
        TruncatedNormal.Fill(weights, 0.02);
        Assert.True(weights.isfinite().all().item<bool>());
        Assert.InRange(weights.std().item<float>(), 0.0199, 0.0201);
        Assert.InRange(weights.abs().max().item<float>(), 0.08, 2);
    }

    /// <summary>
    /// What validation and the other tasks read from the declaration without building a model holds for the built one: the
    /// block count (<c>trainable: last-N</c>), stochastic depth at the declared rate (<c>drop_path</c>), and a head that
    /// is a Linear layer (the features task, <c>inputs: features</c>, turns it into the identity).
    /// </summary>
    internal static void AssertDeclarations(ArchDefinition arch, nn.Module model)
    {
        Assert.IsType<TorchSharp.Modules.Linear>(model.named_modules().Single(m => m.name == arch.HeadPrefix).module);
        var blocks = arch.Blocks(model);
        Assert.True(arch.BlockCount == blocks.Count,
            $"{arch.Name} declares BlockCount = {arch.BlockCount} but its built model has {blocks.Count} blocks ({string.Join(", ", blocks)}); validation of trainable: last-N reads the declared count");
        var depths = model.modules().OfType<StochasticDepth>().ToList();
        Assert.True((arch.DropPath is not null) == (depths.Count > 0),
            $"{arch.Name} declares DropPath {arch.DropPath} and has {depths.Count} stochastic depth layers");
        Assert.All(depths, d => Assert.Equal(arch.DropPath, d.Rate));
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
