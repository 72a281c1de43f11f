using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Xunit.Abstractions;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Weights;

/// <summary>ML.NET's ResNet18.onnx mapped onto mlnet_resnet18 computes what ONNX Runtime computes from the file itself.</summary>
public sealed class OnnxParityTests(ITestOutputHelper output)
{
    [Fact]
    public void Mlnet_resnet18_pooled_features_match_onnx_runtime()
    {
        var path = MlNetResNetArchs.MlNetResNet18.Bundled!.FullPath;
        var model = OnnxTestModels.MlNetResNet18;
        long[] shape = [1, 3, 224, 224];

        // A preprocessed image as the weight source feeds it: 0–255 BGR values minus the channel means.
        var random = new Random(20240607);
        var means = MlNetResNetArchs.Normalization.Mean;
        var input = new float[3 * 224 * 224];
        for (int i = 0; i < input.Length; i++)
            input[i] = random.NextSingle() * 255f - means[i / (224 * 224)];

        float[] expected;
        using (var session = new InferenceSession(path))
        using (var ortInput = OrtValue.CreateTensorValueFromMemory(input, shape))
        using (var runOptions = new RunOptions())
        using (var results = session.Run(runOptions, [model.DataInputs.Single()], [ortInput], ["Pooling395_Output_0"]))
        {
            Assert.Equal([1L, 512, 1, 1], results[0].GetTensorTypeAndShape().Shape);
            expected = results[0].GetTensorDataAsSpan<float>().ToArray();
        }

        var (_, resnet, missing, unexpected) = OnnxTestModels.MlNetResNet18Loaded;
        Assert.Empty(unexpected);
        Assert.Equal(["fc.bias", "fc.weight"], missing.Order());
        float[] actual;
        using (var _ = no_grad())
        using (var x = tensor(input, shape))
        using (var features = MlNetResNetArchs.PooledFeatures(resnet, x))
        {
            Assert.Equal([1L, 512], features.shape);
            actual = features.data<float>().ToArray();
        }

        double maxAbs = expected.Max(v => Math.Abs((double)v));
        double maxDiff = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
        output.WriteLine($"max |onnxruntime| {maxAbs:G6}, max |diff| {maxDiff:G6}, relative {maxDiff / maxAbs:G6}");
        Assert.True(maxAbs > 0.1, "degenerate features");
        Assert.True(maxDiff / maxAbs < 1e-4, $"max |diff| {maxDiff:G6} is {maxDiff / maxAbs:G6} of max |value| {maxAbs:G6}");
    }
}
