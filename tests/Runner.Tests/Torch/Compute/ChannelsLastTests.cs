using Runner.Core.Config;
using Runner.Tests.Fixtures;
using Runner.Torch.Compute;
using Runner.Torch.Models;
using Runner.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Compute;

/// <summary>channels_last through strides: same logits as NCHW, weights really laid out NHWC, and saved files stay NCHW.</summary>
public sealed class ChannelsLastTests
{
    public ChannelsLastTests() => WeightsTestSupport.EnsureTorch();

    private static nn.Module<Tensor, Tensor> Model(string arch)
    {
        var model = ArchRegistry.Default[arch].Create(3);
        model.eval();
        return model;
    }

    private static Tensor Images() => torch.rand(2, 3, 32, 32, generator: new Generator(7));

    [Theory]
    [InlineData("resnet18")]
    [InlineData("mobilenet_v2")]
    [InlineData("efficientnet_b0")]
    public void Logits_equal_nchws_within_1e_5(string arch)
    {
        using var model = Model(arch);
        using var images = Images();
        using var _ = torch.inference_mode();
        using var nchw = model.forward(images);

        var mode = new ComputeMode(Precisions.Fp32, channelsLast: true, CPU);
        mode.Layout(model);
        using var input = mode.Input(images);
        using var nhwc = model.forward(input);

        var conv = model.parameters().First(p => p.dim() == 4 && p.shape[1] > 1);
        Assert.Equal(1, conv.stride(1)); // channels innermost: the weights moved
        Assert.Equal(1, input.stride(1));
        Assert.True(nhwc.allclose(nchw, rtol: 0, atol: 1e-5), $"largest difference {(nhwc - nchw).abs().max().item<float>()}");
    }

    [Fact]
    public void A_model_saved_while_contiguous_loads_into_an_nchw_model_with_the_same_logits_and_stays_channels_last()
    {
        using var model = Model("resnet18");
        using var images = Images();
        var mode = new ComputeMode(Precisions.Fp32, channelsLast: true, CPU);
        mode.Layout(model);
        using var temp = new TempDir();
        var file = Path.Combine(temp.Path, "model.bin");

        mode.WhileContiguous(model, null, () => model.save(file));

        Assert.Equal(1, model.parameters().First(p => p.dim() == 4 && p.shape[1] > 1).stride(1));
        using var loaded = Model("resnet18");
        loaded.load(file);
        using var _ = torch.inference_mode();
        using var expected = model.forward(images);
        using var actual = loaded.forward(images);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-5));
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("sgd")]
    public void Optimizer_state_over_nhwc_weights_saves_and_loads_while_contiguous_as_resume_points_do(string name)
    {
        using var model = Model("resnet18");
        model.train();
        var mode = new ComputeMode(Precisions.Fp32, channelsLast: true, CPU);
        mode.Layout(model);
        using var optimizer = Optimizers.Create(new OptimizerSpec(name, 0.01, Momentum: 0.9), model.parameters());
        var step = new TrainStep(mode, mode.Scaler());
        using var images = Images();
        step.Run(model, new Runner.Torch.Training.Head(3), images, torch.tensor(new long[] { 0, 2 }), optimizer);
        using var temp = new TempDir();
        var file = Path.Combine(temp.Path, "optimizer.bin");

        mode.WhileContiguous(model, optimizer, () => Optimizers.State(optimizer).save_state_dict(file));
        using var restored = Optimizers.Create(new OptimizerSpec(name, 0.01, Momentum: 0.9), model.parameters());
        // SGD makes its momentum buffers lazily: one step creates them.
        if (name == "sgd") step.Run(model, new Runner.Torch.Training.Head(3), images, torch.tensor(new long[] { 0, 2 }), restored);
        mode.WhileContiguous(model, restored, () => Optimizers.State(restored).load_state_dict(file));

        Assert.True(Optimizers.State(optimizer).state_dict().State.Zip(Optimizers.State(restored).state_dict().State)
            .All(p => p.First.ApproximatelyEquals(p.Second)), "the loaded optimizer state differs from the saved one");
    }

    [Fact]
    public void Portable_makes_a_bf16_channels_last_model_float32_and_nchw()
    {
        using var model = Model("resnet18");
        var mode = new ComputeMode(Precisions.Bf16, channelsLast: true, CPU);
        mode.CastModel(model);
        mode.Layout(model);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));

        mode.Portable(model);

        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(model.parameters(), p => Assert.True(p.is_contiguous()));
    }
}
