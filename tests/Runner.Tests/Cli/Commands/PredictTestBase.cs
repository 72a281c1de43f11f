using System.CommandLine;
using System.Globalization;
using OpenCvSharp;
using TorchSharp;
using Runner.Cli;
using Runner.Cli.Commands;
using Runner.Tests.Fixtures;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using static TorchSharp.torch;

namespace Runner.Tests.Cli.Commands;

/// <summary>A temporary folder, a temporary weights store, CSV reading and the reference computation.</summary>
public abstract class PredictTestBase : IDisposable
{
    protected PredictTestBase()
    {
        WeightsTestSupport.EnsureTorch();
        Temp = System.IO.Directory.CreateTempSubdirectory("runner-predict-").FullName;
        Store = new WeightsStore(System.IO.Path.Combine(Temp, "home", "weights"));
    }

    protected string Temp { get; }
    protected WeightsStore Store { get; }

    protected string PathIn(params string[] parts) => System.IO.Path.Combine([Temp, .. parts]);

    /// <summary>Runs <c>runner predict ARGS --device cpu</c> through the real command line (default weights store).</summary>
    protected static (int Code, string Output, string Error) Run(params string[] args) =>
        Invoke(CommandLine.Build(), ["predict", .. args, "--device", "cpu"]);

    /// <summary>The same over this test's temporary weights store.</summary>
    protected (int Code, string Output, string Error) RunWithStore(params string[] args) =>
        Invoke(new RootCommand("test") { PredictCommand.Create(() => Store, ArchRegistry.Default) }, ["predict", .. args, "--device", "cpu"]);

    private static (int Code, string Output, string Error) Invoke(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        Assert.Empty(parsed.Errors);
        var output = new StringWriter();
        var error = new StringWriter();
        var code = parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>What the model should see, computed independently of runner: BGR pixels resized only when not size×size.</summary>
    protected static byte[] ResizedBgr(byte[] bgr, int width, int height, int size)
    {
        if (width == size && height == size) return bgr;
        using var mat = Mat.FromPixelData(height, width, MatType.CV_8UC3, bgr);
        using var resized = new Mat();
        var interpolation = width > size || height > size ? InterpolationFlags.Area : InterpolationFlags.Cubic;
        Cv2.Resize(mat, resized, new OpenCvSharp.Size(size, size), interpolation: interpolation);
        var bytes = new byte[size * size * 3];
        System.Runtime.InteropServices.Marshal.Copy(resized.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>
    /// [n, 3, size, size]: for each model channel c (RGB order, or BGR when <paramref name="bgrInput"/>),
    /// <c>(pixel · scale − mean[c]) / std[c]</c>, from BGR pixels.
    /// </summary>
    protected static Tensor Reference(IReadOnlyList<byte[]> bgrImages, int size, float[] mean, float[] std, float scale = 1f / 255f, bool bgrInput = false)
    {
        var plane = size * size;
        var data = new float[bgrImages.Count * 3 * plane];
        for (var n = 0; n < bgrImages.Count; n++)
            for (var c = 0; c < 3; c++)
            {
                var fromBgr = bgrInput ? c : 2 - c; // RGB channel 0 is the BGR byte 2
                for (var p = 0; p < plane; p++)
                    data[(n * 3 + c) * plane + p] = (bgrImages[n][p * 3 + fromBgr] * scale - mean[c]) / std[c];
            }
        return torch.tensor(data, [bgrImages.Count, 3, size, size]);
    }

    /// <summary>The model's [n, outputs] logits for a reference input, in eval mode.</summary>
    protected static float[][] Logits(nn.Module<Tensor, Tensor> model, Tensor input)
    {
        model.eval();
        using var _ = torch.inference_mode();
        using var scope = torch.NewDisposeScope();
        var output = model.forward(input).contiguous();
        var outputs = (int)output.shape[1];
        var flat = output.data<float>().ToArray();
        return Enumerable.Range(0, (int)output.shape[0]).Select(n => flat.AsSpan(n * outputs, outputs).ToArray()).ToArray();
    }

    /// <summary>The CSV's header and rows, split on commas (no field in these tests needs quoting).</summary>
    protected static (string Header, List<string[]> Rows) ReadCsv(string path)
    {
        var text = File.ReadAllText(path);
        Assert.EndsWith("\n", text);
        Assert.DoesNotContain("\r", text);
        var lines = text.TrimEnd('\n').Split('\n');
        return (lines[0], lines.Skip(1).Select(l => l.Split(',')).ToList());
    }

    protected static float[] Values(string[] row) => row.Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    protected static void Close(float expected, float actual, float tolerance = 1e-4f) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1f, Math.Abs(expected)), $"expected {expected}, got {actual}");

    protected static void Close(float[][] expected, IReadOnlyList<float[]> actual, float tolerance = 1e-4f)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            for (var j = 0; j < expected[i].Length; j++) Close(expected[i][j], actual[i][j], tolerance);
        }
    }

    protected static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    public void Dispose()
    {
        System.IO.Directory.Delete(Temp, recursive: true);
        GC.SuppressFinalize(this);
    }
}
