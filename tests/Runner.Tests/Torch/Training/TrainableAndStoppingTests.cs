using TorchSharp;
using Runner.Core.Config;
using Runner.Torch.Models;
using Runner.Torch.Training;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Training;

/// <summary>trainable policies (which parameters train, BatchNorm statistics frozen) and early stopping.</summary>
public sealed class TrainableAndStoppingTests
{
    private static List<string> Training(nn.Module model) =>
        model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();

    [Fact]
    public void Blocks_are_the_natural_stages_of_each_family()
    {
        using var resnet = ArchRegistry.Default["resnet18"].Create(1);
        Assert.Equal(["layer1", "layer2", "layer3", "layer4"], ArchRegistry.Default["resnet18"].Blocks(resnet));
        using var mobilenet = ArchRegistry.Default["mobilenet_v2"].Create(1);
        Assert.Equal(Enumerable.Range(0, 19).Select(i => $"features.{i}"), ArchRegistry.Default["mobilenet_v2"].Blocks(mobilenet));
    }

    [Theory]
    [InlineData("convnext_tiny", "features.0,features.1,features.2,features.3,features.4,features.5,features.6,features.7")]
    [InlineData("swin_t", "features.0,features.1,features.2,features.3,features.4,features.5,features.6,features.7")]
    [InlineData("regnet_x_400mf", "stem,trunk_output.block1,trunk_output.block2,trunk_output.block3,trunk_output.block4")]
    [InlineData("maxvit_t", "stem,blocks.0,blocks.1,blocks.2,blocks.3")]
    [InlineData("shufflenet_v2_x0_5", "conv1,stage2,stage3,stage4,conv5")]
    [InlineData("densenet121",
        "features.conv0,features.norm0,features.denseblock1,features.transition1,features.denseblock2,features.transition2," +
        "features.denseblock3,features.transition3,features.denseblock4,features.norm5")]
    public void Blocks_of_the_newer_families_are_their_stages(string name, string blocks)
    {
        var arch = ArchRegistry.Default[name];
        using var model = arch.Create(1);
        Assert.Equal(blocks.Split(','), arch.Blocks(model));
    }

    /// <summary>A ViT's blocks are its encoder layers; last-N trains them, the final LayerNorm and the head, never the embeddings.</summary>
    [Fact]
    public void Last_n_of_a_vit_trains_its_last_encoder_layers_and_what_follows_them()
    {
        var arch = ArchRegistry.Default["vit_b_32"];
        using var model = arch.Create(1, 64);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"encoder.layers.encoder_layer_{i}"), arch.Blocks(model));
        TrainablePolicy.For("last-2", arch, model).Apply(model);
        var trained = Training(model);
        Assert.Contains("encoder.layers.encoder_layer_10.self_attention.in_proj_weight", trained);
        Assert.Contains("encoder.ln.weight", trained);
        Assert.Contains("heads.head.weight", trained);
        Assert.DoesNotContain("encoder.layers.encoder_layer_9.ln_1.weight", trained);
        Assert.DoesNotContain("encoder.pos_embedding", trained);
        Assert.DoesNotContain("class_token", trained);
    }

    [Fact]
    public void Head_trains_only_the_head()
    {
        var arch = ArchRegistry.Default["resnet18"];
        using var model = arch.Create(1);
        var policy = TrainablePolicy.For("head", arch, model);
        var count = policy.Apply(model);
        Assert.Equal(["fc.weight", "fc.bias"], Training(model));
        Assert.Equal(512 + 1, count);
    }

    [Fact]
    public void Last_n_trains_the_last_n_blocks_and_what_follows_them()
    {
        var arch = ArchRegistry.Default["resnet18"];
        using var model = arch.Create(1);
        TrainablePolicy.For("last-2", arch, model).Apply(model);
        var names = model.named_parameters().Select(p => p.name).ToList();
        var expected = names.Where(n => n.StartsWith("layer3.", StringComparison.Ordinal) || n.StartsWith("layer4.", StringComparison.Ordinal) || n.StartsWith("fc.", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected, Training(model));

        using var mobilenet = ArchRegistry.Default["mobilenet_v2"].Create(1);
        TrainablePolicy.For("last-1", ArchRegistry.Default["mobilenet_v2"], mobilenet).Apply(mobilenet);
        Assert.All(Training(mobilenet), n => Assert.True(n.StartsWith("features.18.", StringComparison.Ordinal) || n.StartsWith("classifier.1.", StringComparison.Ordinal), n));
        Assert.Contains("features.18.0.weight", Training(mobilenet));

        Assert.Throws<ArgumentException>(() => TrainablePolicy.For("last-5", arch, model));
    }

    [Fact]
    public void All_trains_everything()
    {
        var arch = ArchRegistry.Default["resnet18"];
        using var model = arch.Create(1);
        TrainablePolicy.For("all", arch, model).Apply(model);
        Assert.Equal(model.named_parameters().Count(), Training(model).Count);
    }

    [Fact]
    public void Frozen_batchnorm_keeps_its_running_statistics_in_training()
    {
        var arch = ArchRegistry.Default["resnet18"];
        using var model = arch.Create(1);
        var policy = TrainablePolicy.For("last-1", arch, model);
        policy.Apply(model);
        model.train();
        policy.FreezeBatchNorm(model);

        Tensor Stat(string key) => model.state_dict()[key].detach().clone();
        var frozenBefore = Stat("layer3.1.bn2.running_mean");
        var stemBefore = Stat("bn1.running_var");
        var trainedBefore = Stat("layer4.1.bn2.running_mean");
        torch.manual_seed(3);
        using (torch.no_grad()) model.forward(torch.randn(2, 3, 32, 32));

        Assert.True(frozenBefore.equal(Stat("layer3.1.bn2.running_mean")).all().item<bool>(), "a frozen block's BN statistics moved");
        Assert.True(stemBefore.equal(Stat("bn1.running_var")).all().item<bool>(), "the stem's BN statistics moved");
        Assert.False(trainedBefore.equal(Stat("layer4.1.bn2.running_mean")).all().item<bool>(), "a trained block's BN statistics must update");
        var modes = model.named_modules().Where(m => m.module is TorchSharp.Modules.BatchNorm).ToDictionary(m => m.name, m => m.module.training);
        Assert.False(modes["layer1.0.bn1"]);
        Assert.True(modes["layer4.0.bn1"]);
    }

    [Fact]
    public void Early_stopping_keeps_the_best_epoch_and_stops_after_patience()
    {
        double[] losses = [1.0, 0.8, 0.9, 0.85, 0.95, 0.7];
        var bests = new List<int>();
        var result = EpochLoop.Run(6, new EarlyStopping(new EarlyStoppingSpec(Patience: 2)), i => losses[i], bests.Add);

        Assert.Equal(new EpochLoopResult(EpochsRun: 4, BestEpoch: 1, StoppedEarly: true), result);
        Assert.Equal([0, 1], bests);
    }

    [Fact]
    public void Min_delta_ignores_small_improvements()
    {
        double[] losses = [1.0, 0.95, 0.92, 0.5];
        var result = EpochLoop.Run(4, new EarlyStopping(new EarlyStoppingSpec(Patience: 2, MinDelta: 0.1)), i => losses[i]);
        Assert.Equal(new EpochLoopResult(3, 0, true), result);
    }

    [Fact]
    public void A_nan_loss_never_counts_as_an_improvement()
    {
        double[] losses = [double.NaN, 0.9, double.NaN, double.NaN];
        var result = EpochLoop.Run(4, new EarlyStopping(new EarlyStoppingSpec(Patience: 2)), i => losses[i]);
        Assert.Equal(new EpochLoopResult(4, 1, false), result);
    }

    [Fact]
    public void Without_early_stopping_every_epoch_runs_and_the_last_is_kept()
    {
        var result = EpochLoop.Run(3, null, i => 1.0 / (3 - i));
        Assert.Equal(new EpochLoopResult(3, 2, false), result);
        var patient = EpochLoop.Run(3, new EarlyStopping(new EarlyStoppingSpec(5)), i => i);
        Assert.Equal(new EpochLoopResult(3, 0, false), patient);
    }

    [Fact]
    public void The_snapshot_restores_the_best_epochs_weights()
    {
        using var model = nn.Sequential(("0", nn.Linear(2, 2)), ("1", nn.BatchNorm1d(2)));
        using var snapshot = new WeightsSnapshot();
        var values = new List<Tensor>();
        EpochLoop.Run(4, new EarlyStopping(new EarlyStoppingSpec(3)), epoch =>
        {
            using (torch.no_grad()) foreach (var p in model.parameters()) p.fill_(epoch);
            return epoch == 1 ? 0.1 : 1.0 + epoch;
        }, _ => snapshot.Capture(model));
        snapshot.Restore(model);
        Assert.All(model.parameters(), p => Assert.True(p.detach().eq(1).all().item<bool>()));
    }
}
