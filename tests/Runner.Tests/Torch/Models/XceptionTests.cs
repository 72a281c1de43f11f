using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Models;

/// <summary>The TorchSharp port of timm's legacy (Cadene) Xception: timm's state_dict layout, forward/backward, registry entry.</summary>
public sealed class XceptionTests(XceptionTests.EvalModel shared) : IClassFixture<XceptionTests.EvalModel>
{
    /// <summary>One 1000-class model in eval mode for the read-only tests (building one costs ~0.4 s on CPU).</summary>
    public sealed class EvalModel : IDisposable
    {
        public Xception Model { get; } = new(1000);
        public EvalModel() => Model.eval();
        public void Dispose() => Model.Dispose();
    }

    /// <summary>
    /// timm <c>legacy_xception</c> (1000 classes) state_dict, in timm's order. A row is either <c>key shape</c> or
    /// <c>prefix bn C</c>, which stands for a BatchNorm2d's weight, bias, running_mean, running_var (all [C]) and
    /// num_batches_tracked ([]). Derived from timm/models/xception.py (Block, SeparableConv2d, Xception).
    /// </summary>
    private const string TimmStateDict = """
        conv1.weight 32x3x3x3
        bn1 bn 32
        conv2.weight 64x32x3x3
        bn2 bn 64
        block1.skip.weight 128x64x1x1
        block1.skipbn bn 128
        block1.rep.0.conv1.weight 64x1x3x3
        block1.rep.0.pointwise.weight 128x64x1x1
        block1.rep.1 bn 128
        block1.rep.3.conv1.weight 128x1x3x3
        block1.rep.3.pointwise.weight 128x128x1x1
        block1.rep.4 bn 128
        block2.skip.weight 256x128x1x1
        block2.skipbn bn 256
        block2.rep.1.conv1.weight 128x1x3x3
        block2.rep.1.pointwise.weight 256x128x1x1
        block2.rep.2 bn 256
        block2.rep.4.conv1.weight 256x1x3x3
        block2.rep.4.pointwise.weight 256x256x1x1
        block2.rep.5 bn 256
        block3.skip.weight 728x256x1x1
        block3.skipbn bn 728
        block3.rep.1.conv1.weight 256x1x3x3
        block3.rep.1.pointwise.weight 728x256x1x1
        block3.rep.2 bn 728
        block3.rep.4.conv1.weight 728x1x3x3
        block3.rep.4.pointwise.weight 728x728x1x1
        block3.rep.5 bn 728
        block4.rep.1.conv1.weight 728x1x3x3
        block4.rep.1.pointwise.weight 728x728x1x1
        block4.rep.2 bn 728
        block4.rep.4.conv1.weight 728x1x3x3
        block4.rep.4.pointwise.weight 728x728x1x1
        block4.rep.5 bn 728
        block4.rep.7.conv1.weight 728x1x3x3
        block4.rep.7.pointwise.weight 728x728x1x1
        block4.rep.8 bn 728
        block5.rep.1.conv1.weight 728x1x3x3
        block5.rep.1.pointwise.weight 728x728x1x1
        block5.rep.2 bn 728
        block5.rep.4.conv1.weight 728x1x3x3
        block5.rep.4.pointwise.weight 728x728x1x1
        block5.rep.5 bn 728
        block5.rep.7.conv1.weight 728x1x3x3
        block5.rep.7.pointwise.weight 728x728x1x1
        block5.rep.8 bn 728
        block6.rep.1.conv1.weight 728x1x3x3
        block6.rep.1.pointwise.weight 728x728x1x1
        block6.rep.2 bn 728
        block6.rep.4.conv1.weight 728x1x3x3
        block6.rep.4.pointwise.weight 728x728x1x1
        block6.rep.5 bn 728
        block6.rep.7.conv1.weight 728x1x3x3
        block6.rep.7.pointwise.weight 728x728x1x1
        block6.rep.8 bn 728
        block7.rep.1.conv1.weight 728x1x3x3
        block7.rep.1.pointwise.weight 728x728x1x1
        block7.rep.2 bn 728
        block7.rep.4.conv1.weight 728x1x3x3
        block7.rep.4.pointwise.weight 728x728x1x1
        block7.rep.5 bn 728
        block7.rep.7.conv1.weight 728x1x3x3
        block7.rep.7.pointwise.weight 728x728x1x1
        block7.rep.8 bn 728
        block8.rep.1.conv1.weight 728x1x3x3
        block8.rep.1.pointwise.weight 728x728x1x1
        block8.rep.2 bn 728
        block8.rep.4.conv1.weight 728x1x3x3
        block8.rep.4.pointwise.weight 728x728x1x1
        block8.rep.5 bn 728
        block8.rep.7.conv1.weight 728x1x3x3
        block8.rep.7.pointwise.weight 728x728x1x1
        block8.rep.8 bn 728
        block9.rep.1.conv1.weight 728x1x3x3
        block9.rep.1.pointwise.weight 728x728x1x1
        block9.rep.2 bn 728
        block9.rep.4.conv1.weight 728x1x3x3
        block9.rep.4.pointwise.weight 728x728x1x1
        block9.rep.5 bn 728
        block9.rep.7.conv1.weight 728x1x3x3
        block9.rep.7.pointwise.weight 728x728x1x1
        block9.rep.8 bn 728
        block10.rep.1.conv1.weight 728x1x3x3
        block10.rep.1.pointwise.weight 728x728x1x1
        block10.rep.2 bn 728
        block10.rep.4.conv1.weight 728x1x3x3
        block10.rep.4.pointwise.weight 728x728x1x1
        block10.rep.5 bn 728
        block10.rep.7.conv1.weight 728x1x3x3
        block10.rep.7.pointwise.weight 728x728x1x1
        block10.rep.8 bn 728
        block11.rep.1.conv1.weight 728x1x3x3
        block11.rep.1.pointwise.weight 728x728x1x1
        block11.rep.2 bn 728
        block11.rep.4.conv1.weight 728x1x3x3
        block11.rep.4.pointwise.weight 728x728x1x1
        block11.rep.5 bn 728
        block11.rep.7.conv1.weight 728x1x3x3
        block11.rep.7.pointwise.weight 728x728x1x1
        block11.rep.8 bn 728
        block12.skip.weight 1024x728x1x1
        block12.skipbn bn 1024
        block12.rep.1.conv1.weight 728x1x3x3
        block12.rep.1.pointwise.weight 728x728x1x1
        block12.rep.2 bn 728
        block12.rep.4.conv1.weight 728x1x3x3
        block12.rep.4.pointwise.weight 1024x728x1x1
        block12.rep.5 bn 1024
        conv3.conv1.weight 1024x1x3x3
        conv3.pointwise.weight 1536x1024x1x1
        bn3 bn 1536
        conv4.conv1.weight 1536x1x3x3
        conv4.pointwise.weight 2048x1536x1x1
        bn4 bn 2048
        fc.weight 1000x2048
        fc.bias 1000
        """;

    private const long TimmParameterCount = 22_855_952;

    private static List<(string Key, long[] Shape)> Expected(int numClasses = 1000)
    {
        var expected = new List<(string, long[])>();
        foreach (var line in TimmStateDict.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ');
            if (parts is [var prefix, "bn", var channels])
            {
                var c = long.Parse(channels, System.Globalization.CultureInfo.InvariantCulture);
                foreach (var suffix in new[] { "weight", "bias", "running_mean", "running_var" })
                    expected.Add(($"{prefix}.{suffix}", [c]));
                expected.Add(($"{prefix}.num_batches_tracked", []));
            }
            else
            {
                var shape = parts[1].Split('x').Select(long.Parse).ToArray();
                if (parts[0].StartsWith("fc.", StringComparison.Ordinal)) shape[0] = numClasses;
                expected.Add((parts[0], shape));
            }
        }
        return expected;
    }

    private static bool IsBuffer(string key) =>
        key.EndsWith(".running_mean", StringComparison.Ordinal) || key.EndsWith(".running_var", StringComparison.Ordinal) ||
        key.EndsWith(".num_batches_tracked", StringComparison.Ordinal);

    private static bool AllTrue(Tensor condition)
    {
        using var all = condition.all();
        condition.Dispose();
        return all.item<bool>();
    }

    [Fact]
    public void State_dict_keys_and_shapes_are_timms()
    {
        var model = shared.Model;
        var actual = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        var expected = Expected();

        Assert.Equal(276, expected.Count); // 236 parameters and running stats + 40 num_batches_tracked
        Assert.Equal(expected.Select(e => e.Key).Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, shape) in expected)
            Assert.True(shape.SequenceEqual(actual[key]), $"{key}: expected [{string.Join(", ", shape)}], got [{string.Join(", ", actual[key])}]");

        // Parameters come in timm's order (TorchSharp's state_dict lists the buffers after all parameters).
        var parameters = model.named_parameters().ToList();
        Assert.Equal(expected.Select(e => e.Key).Where(k => !IsBuffer(k)), parameters.Select(p => p.name));
        Assert.Equal(156, parameters.Count);
        Assert.Equal(TimmParameterCount, parameters.Sum(p => p.parameter.numel()));
        Assert.Equal(TimmParameterCount, expected.Where(e => !IsBuffer(e.Key)).Sum(e => e.Shape.Aggregate(1L, (a, b) => a * b)));
    }

    [Fact]
    public void Initialisation_is_timms()
    {
        var state = shared.Model.state_dict();
        Assert.True(AllTrue(state["bn1.weight"].eq(1)));
        Assert.True(AllTrue(state["block4.rep.2.bias"].eq(0)));
        Assert.True(AllTrue(state["block12.skipbn.running_var"].eq(1)));
        // kaiming normal, fan_out, ReLU gain: std = sqrt(2 / (out · k · k)); conv2: 64·3·3 = 576 → 0.0589.
        using var std = state["conv2.weight"].std();
        Assert.InRange(std.item<float>(), 0.0589f * 0.9f, 0.0589f * 1.1f);
    }

    [Fact]
    public void Eval_forward_at_299_gives_10x10_features_and_finite_logits()
    {
        var model = shared.Model;
        using var _ = no_grad();
        using var input = randn(1, 3, 299, 299);
        using var features = model.ForwardFeatures(input);
        Assert.Equal([1L, 2048L, 10L, 10L], features.shape); // timm's pool_size (10, 10)
        Assert.True(AllTrue(features.ge(0))); // after act4
        using var logits = model.ForwardHead(features);
        Assert.Equal([1L, 1000L], logits.shape);
        Assert.True(AllTrue(logits.isfinite()));
    }

    [Fact]
    public void Eval_forward_at_128_gives_finite_logits()
    {
        using var _ = no_grad();
        using var input = randn(2, 3, 128, 128);
        using var logits = shared.Model.call(input);
        Assert.Equal([2L, 1000L], logits.shape);
        Assert.True(AllTrue(logits.isfinite()));
    }

    [Fact]
    public void Train_forward_backward_at_128_reaches_the_stem()
    {
        using var model = new Xception(5);
        model.train();
        using var input = randn(1, 3, 128, 128); // batch 1 is enough for BatchNorm here: the smallest map is 4×4
        using var target = tensor(new long[] { 3 });
        using var logits = model.call(input);
        Assert.Equal([1L, 5L], logits.shape);
        using var loss = nn.functional.cross_entropy(logits, target);
        loss.backward();

        var grads = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        var conv1 = grads["conv1.weight"];
        Assert.NotNull(conv1);
        Assert.True(AllTrue(conv1.isfinite()));
        using (var magnitude = conv1.abs().sum())
            Assert.True(magnitude.item<float>() > 0);
        Assert.NotNull(grads["block1.skip.weight"]);
        Assert.NotNull(grads["block1.rep.0.conv1.weight"]);
    }

    [Fact]
    public void Identity_block_leaves_its_input_intact_and_adds_it()
    {
        using var block = new XceptionBlock(8, 8, reps: 3);
        block.eval();
        using var _ = no_grad();
        using var input = randn(1, 8, 6, 6);
        using var copy = input.clone();
        using var output = block.call(input);
        Assert.Equal(input.shape, output.shape);
        Assert.True(AllTrue(input.eq(copy)));
        Assert.DoesNotContain(block.named_parameters(), p => p.name.StartsWith("skip", StringComparison.Ordinal));
        Assert.Equal(["rep.1.conv1.weight", "rep.1.pointwise.weight", "rep.2.weight", "rep.2.bias"],
            block.named_parameters().Select(p => p.name).Take(4));
    }

    [Fact]
    public void Arch_definition()
    {
        var arch = XceptionArchs.Xception;
        Assert.Equal("xception", arch.Name);
        Assert.Equal(299, arch.DefaultImageSize);
        Assert.Same(Normalization.Inception, arch.Normalization);
        Assert.Equal([0.5f, 0.5f, 0.5f], arch.Normalization.Mean);
        Assert.Equal([0.5f, 0.5f, 0.5f], arch.Normalization.Std);
        Assert.Equal("fc", arch.HeadPrefix);
        Assert.Equal("xception-43020ad28.pth", arch.Release!.FileName);
        Assert.Equal(ChecksumRule.Unverified, arch.Release.Rule);

        using var model = arch.Create(7);
        Assert.IsType<Xception>(model);
        var state = model.state_dict();
        Assert.Equal(["fc.bias", "fc.weight"], state.Keys.Where(arch.IsHeadKey).Order(StringComparer.Ordinal));
        Assert.Equal([7L, 2048L], state["fc.weight"].shape);
        Assert.Equal([7L], state["fc.bias"].shape);
        Assert.Equal(TimmParameterCount - 993 * 2049, model.parameters().Sum(p => p.numel()));
        Assert.Equal(Expected(7).Select(e => e.Key).Where(arch.IsHeadKey).Order(StringComparer.Ordinal),
            state.Keys.Where(arch.IsHeadKey).Order(StringComparer.Ordinal));
    }
}
