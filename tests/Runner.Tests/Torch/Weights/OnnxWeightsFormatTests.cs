using TorchSharp;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Weights;

public sealed class OnnxWeightsFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-onnx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly ArchDefinition Tiny = new(
        "tiny", 8, Normalization.ImageNet, (n, _) => nn.Sequential(("body", nn.Linear(3, 4)), ("fc", nn.Linear(4, n))), "fc") { BlockCount = 1 };

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Reader_lists_the_mlnet_resnet18_graph()
    {
        var model = OnnxTestModels.MlNetResNet18;

        Assert.Equal(22, model.Nodes.Count(n => n.OpType == "Conv"));
        Assert.Equal(22, model.Nodes.Count(n => n.OpType == "BatchNormalization"));
        Assert.Equal(9, model.Nodes.Count(n => n.OpType == "Add"));
        Assert.Equal(["Input247"], model.DataInputs);
        Assert.Equal(["Pooling395_Output_0"], model.Outputs);
        Assert.Equal(8, model.Opsets[""]);
        Assert.StartsWith("CNTK", model.ProducerName);
        var stem = model.Initializers[model.Nodes.First(n => n.OpType == "Conv").Inputs[1]];
        Assert.Equal([64L, 3, 7, 7], stem.Dims);
        Assert.Equal(64 * 3 * 7 * 7, stem.ToFloatArray().Length);
    }

    [Fact]
    public void Accepts_onnx_by_content_not_by_extension()
    {
        var format = new OnnxWeightsFormat();
        Assert.Equal("onnx", format.Name);
        Assert.True(format.Accepts(MlNetResNetArchs.MlNetResNet18.Bundled!.FullPath));
        Assert.True(format.Accepts(Write("synthetic.bin", OnnxTestModels.Synthetic(("body.bias", [4], [1, 2, 3, 4])))));
        Assert.False(format.Accepts(Write("notes.onnx", "not a model\n"u8.ToArray())));
        Assert.False(format.Accepts(Write("weights.onnx", [(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0, 8, 0])));
        Assert.False(format.Accepts(Write("empty.onnx", [])));
    }

    [Fact]
    public void Non_onnx_files_are_rejected_with_a_clear_error()
    {
        var format = new OnnxWeightsFormat();
        var text = Write("model.onnx", "{\"this\": \"is json\"}"u8.ToArray());
        var e = Assert.Throws<WeightsFormatException>(() => format.Read(text, MlNetResNetArchs.MlNetResNet18));
        Assert.StartsWith(text + " is not a readable ONNX model", e.Message);
        Assert.Contains("not an ONNX ModelProto", e.Message);
        Assert.Throws<InvalidDataException>(() => OnnxModel.Load(text));

        // A cut-off download: the header is right but the graph runs past the end of the file.
        var head = new byte[4096];
        using (var s = File.OpenRead(MlNetResNetArchs.MlNetResNet18.Bundled!.FullPath)) s.ReadExactly(head);
        var truncated = Write("truncated.onnx", head);
        Assert.False(format.Accepts(truncated));
        Assert.Throws<WeightsFormatException>(() => format.Read(truncated, MlNetResNetArchs.MlNetResNet18));
    }

    [Fact]
    public void Mlnet_resnet18_mapping_covers_every_non_fc_key_with_its_shape()
    {
        // The model was built by the arch independently of the mapping; its keys are what the mapping must produce.
        var (mapped, module, _, _) = OnnxTestModels.MlNetResNet18Loaded;
        var expected = module.state_dict().Where(kv => !MlNetResNetArchs.MlNetResNet18.IsHeadKey(kv.Key)).ToList();

        Assert.Equal(expected.Select(kv => kv.Key).Order(), mapped.Keys.Order());
        foreach (var (key, t) in expected)
        {
            Assert.True(t.shape.SequenceEqual(mapped[key].shape), $"{key}: [{string.Join(",", mapped[key].shape)}] vs [{string.Join(",", t.shape)}]");
            Assert.Equal(t.dtype, mapped[key].dtype);
        }
        Assert.Equal(22, mapped.Keys.Count(k => k.EndsWith("conv1.weight", StringComparison.Ordinal) || k.EndsWith("conv2.weight", StringComparison.Ordinal) || k.EndsWith("downsample.0.weight", StringComparison.Ordinal)));
        Assert.Contains("layer4.2.conv2.weight", mapped.Keys);
        Assert.Equal([128L, 64, 1, 1], mapped["layer2.0.downsample.0.weight"].shape);
        Assert.Equal(0L, mapped["layer3.1.bn2.num_batches_tracked"].item<long>());

        // The first downsampling block: its 1×1 projection comes first in the graph but maps to downsample.0.
        var projection = OnnxTestModels.MlNetResNet18.Initializers["Parameter199"].ToFloatArray();
        Assert.Equal(projection, mapped["layer2.0.downsample.0.weight"].data<float>().ToArray());
        var bnVar = OnnxTestModels.MlNetResNet18.Initializers["Constant206"].ToFloatArray();
        Assert.Equal(bnVar, mapped["layer2.0.downsample.1.running_var"].data<float>().ToArray());
    }

    [Fact]
    public void Bundled_resnet18_imports_strictly_as_a_headless_backbone()
    {
        // The shared mapping is what OnnxWeightsFormat.Read returns for this file (Read = Load + Map).
        using var imported = WeightsImport.Import(
            OnnxTestModels.MlNetResNet18Loaded.StateDict, MlNetResNetArchs.MlNetResNet18, "onnx", MlNetResNetArchs.MlNetResNet18.Bundled!.FullPath);
        Assert.True(imported.Comparison.Matches, imported.Comparison.Describe());
        Assert.False(imported.HeadPresent);
    }

    [Fact]
    public void Other_archs_map_initializers_by_state_dict_name()
    {
        var path = Write("tiny.onnx", OnnxTestModels.Synthetic(
            ("body.weight", [4, 3], Enumerable.Range(0, 12).Select(i => i * 0.5f).ToArray()),
            ("body.bias", [4], [1, 2, 3, 4]),
            ("unrelated", [2], [9, 9])));

        var mapped = new OnnxWeightsFormat().Read(path, Tiny);
        try
        {
            Assert.Equal(["body.bias", "body.weight"], mapped.Keys.Order());
            Assert.Equal([4L, 3], mapped["body.weight"].shape);
            Assert.Equal(5.5f, mapped["body.weight"][3, 2].item<float>());
            Assert.Equal([1f, 2, 3, 4], mapped["body.bias"].data<float>().ToArray());
        }
        finally
        {
            foreach (var t in mapped.Values) t.Dispose();
        }
    }

    [Theory]
    [InlineData(4294967296L, 4294967296L)] // a head whose element count overflows
    [InlineData(1000000L, 4L)] // more outputs than any head may have
    [InlineData(10L, 5L)] // an input width the architecture does not have
    public void A_head_initializer_that_does_not_fit_is_refused_before_it_is_built(long outputs, long inputs)
    {
        var path = Write("head.onnx", OnnxTestModels.Synthetic(
            ("body.weight", [4, 3], new float[12]), ("body.bias", [4], new float[4]), ("fc.weight", [outputs, inputs], [])));

        var e = Assert.Throws<WeightsFormatException>(() => new OnnxWeightsFormat().Read(path, Tiny));

        Assert.Equal($"{path}: ONNX initializer 'fc.weight' has shape [{outputs}, {inputs}], tiny needs [1, 4] (a head of 1 to 100,000 outputs)",
            e.Message);
    }

    [Fact]
    public void Name_mapping_that_misses_keys_says_how_many_matched()
    {
        var partial = Write("partial.onnx", OnnxTestModels.Synthetic(("body.bias", [4], [1, 2, 3, 4])));
        var e = Assert.Throws<WeightsFormatException>(() => new OnnxWeightsFormat().Read(partial, Tiny));
        Assert.StartsWith(partial + ": ", e.Message);
        Assert.Contains("cover 1 of tiny's 2", e.Message);
        Assert.Contains("body.weight", e.Message);

        // ML.NET's CNTK initializers are named ParameterN/ConstantN: nothing matches by name.
        var cntk = Assert.Throws<InvalidDataException>(() => OnnxWeightsFormat.Map(OnnxTestModels.MlNetResNet18, Tiny));
        Assert.Contains("cover 0 of tiny's 2", cntk.Message);
    }
}
