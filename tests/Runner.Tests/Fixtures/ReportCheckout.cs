using Runner.Core.Publishing;
using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Tests.Fixtures;

/// <summary>A checkout folder with a report output folder (text, JSON and a binary plot) and clients for <see cref="FakeGitHub"/>.</summary>
internal sealed class ReportCheckout : IDisposable
{
    public string Root { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "runner-publish-" + Guid.NewGuid().ToString("N")[..8]);
    public string Output => System.IO.Path.Combine(Root, "reports", "tiny");

    /// <summary>A PNG signature and header: bytes that are not UTF-8 text (NUL, 0x89), so they travel as a base64 blob.</summary>
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0xFF, 0xFE];

    public ReportCheckout()
    {
        Write("README.md", "# tiny\n\n| Backbone | Log loss |\n|---|---:|\n| mobilenet_v2 | 0.69 |\n");
        Json.Write(System.IO.Path.Combine(Output, "results.json"), SampleResults(2));
        Directory.CreateDirectory(System.IO.Path.Combine(Output, "plots"));
        File.WriteAllBytes(System.IO.Path.Combine(Output, "plots", "loss.png"), Png);
    }

    public void Write(string relative, string text)
    {
        var path = System.IO.Path.Combine(Output, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public ReportSnapshot Snapshot() => ReportSnapshot.Read(Output, Root);

    public static ExperimentResults SampleResults(int backbones)
    {
        var metrics = new SplitMetrics(0.6931, 0.5, 0.5, 12);
        var timing = new TimingSummary(new Dictionary<string, LatencyStats> { ["1"] = new(4.25, 5, 0.3, 50, 30) }, new Dictionary<string, double>());
        var train = new TrainSummary(1, [2.5], [0.1], 100, [0.7], [0.69]);
        return new ExperimentResults("tiny", "0.2.0", new DateTime(2026, 11, 29, 0, 0, 0, DateTimeKind.Utc),
            new EnvironmentInfo("cpu", "Test CPU", 2, "0.107.0", "2.10.0"),
            new DatasetSummary("data", ["bright", "dark"], new Dictionary<string, int> { ["train"] = 12, ["validation"] = 6, ["test"] = 6 }),
            [.. Enumerable.Range(0, backbones).Select(i => new BackboneResult($"backbone_with_a_long_descriptive_name_{i:D5}", "mobilenet_v2", "none", 16, 4, 2_225_153, 0.006, 9_000_000,
                train, new EvalResult(metrics, metrics), timing))],
            [new EnsembleResult("pair", "mean", ["a", "b"], new EnsembleMetrics(metrics), 8.5)]);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
