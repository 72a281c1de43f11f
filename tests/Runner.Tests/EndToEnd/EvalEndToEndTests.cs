using System.Text.Json;
using OpenCvSharp;
using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>
/// Through the real executable: the new metrics in results.json, the Kaggle submission from <c>dataset.predict</c> (in the eval
/// entry and copied into the report), and toggling <c>evaluation.tta</c> re-running evaluation only.
/// </summary>
public sealed class EvalEndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new();

    public void Dispose() => _experiment.Dispose();

    public EvalEndToEndTests()
    {
        var predict = Directory.CreateDirectory(Path.Combine(_experiment.Root, "unlabeled")).FullName;
        foreach (var id in new[] { "10", "2", "1" })
            TestImages.Solid(Path.Combine(predict, $"{id}.png"), 16, 16, new Scalar(120, 120, 120));
    }

    private void WriteYaml(string tta)
    {
        var yaml = File.ReadAllText(_experiment.Yaml);
        if (!yaml.Contains("predict:")) yaml = yaml.Replace("  path: data\n", "  path: data\n  predict: unlabeled\n");
        yaml = System.Text.RegularExpressions.Regex.Replace(yaml, @"\nevaluation:.*", "");
        File.WriteAllText(_experiment.Yaml, yaml.TrimEnd('\n') + $"\nevaluation: {{ tta: {tta} }}\n");
    }

    [Fact]
    public void Run_writes_metrics_and_submission_then_tta_reruns_eval_only()
    {
        WriteYaml("none");
        var first = _experiment.Runner("run", "tiny.yaml");
        Assert.True(first.ExitCode == 0, first.Output + first.Error);

        using (var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_experiment.ReportDir, "results.json"))))
        {
            var metrics = results.RootElement.GetProperty("backbones")[0].GetProperty("metrics");
            Assert.Equal("none", metrics.GetProperty("tta").GetString());
            Assert.Equal(3, metrics.GetProperty("submission_rows").GetInt32());
            foreach (var split in new[] { "validation", "test" })
            {
                var m = metrics.GetProperty(split);
                var n = m.GetProperty("n").GetInt32();
                var confusion = m.GetProperty("confusion");
                Assert.Equal(2, confusion.GetArrayLength());
                Assert.Equal(n, confusion.EnumerateArray().Sum(r => r.EnumerateArray().Sum(c => c.GetInt32())));
                Assert.Equal(new[] { "bright", "dark" }, m.GetProperty("per_class").EnumerateArray().Select(c => c.GetProperty("class").GetString()));
                Assert.Equal(n, m.GetProperty("per_class").EnumerateArray().Sum(c => c.GetProperty("support").GetInt32()));
                Assert.InRange(m.GetProperty("ece").GetDouble(), 0, 1);
            }
        }

        var submission = File.ReadAllLines(Path.Combine(_experiment.ReportDir, "submission-mobilenet_v2.csv"));
        Assert.Equal("id,label", submission[0]);
        Assert.Equal(new[] { "1", "2", "10" }, submission.Skip(1).Select(l => l.Split(',')[0]));
        Assert.All(submission.Skip(1), l => Assert.InRange(double.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture), 0, 1));

        using (var predictions = JsonDocument.Parse(File.ReadAllText(Directory.EnumerateFiles(
                   Path.Combine(_experiment.Root, ".runner", "cache"), "predictions.json", SearchOption.AllDirectories).Single())))
        {
            foreach (var split in new[] { "validation", "test", "predict" })
            {
                var p = predictions.RootElement.GetProperty(split);
                Assert.Equal(p.GetProperty("ids").GetArrayLength(), p.GetProperty("probabilities").GetArrayLength());
                Assert.Equal(p.GetProperty("ids").GetArrayLength(), p.GetProperty("labels").GetArrayLength());
            }
        }

        WriteYaml("hflip");
        var plan = _experiment.Runner("plan", "tiny.yaml");
        Assert.Equal(0, plan.ExitCode);
        var lines = plan.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("cached  train:mobilenet_v2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("cached  time:mobilenet_v2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("stale   eval:mobilenet_v2", StringComparison.Ordinal) && l.Contains("tta"));

        var second = _experiment.Runner("run", "tiny.yaml");
        Assert.True(second.ExitCode == 0, second.Output + second.Error);
        Assert.Contains("5 tasks: 2 ran, 3 cached", second.Output);
        using var after = JsonDocument.Parse(File.ReadAllText(Path.Combine(_experiment.ReportDir, "results.json")));
        Assert.Equal("hflip", after.RootElement.GetProperty("backbones")[0].GetProperty("metrics").GetProperty("tta").GetString());
    }
}
