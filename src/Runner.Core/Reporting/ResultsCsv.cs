using System.Globalization;
using System.Text;
using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Core.Reporting;

/// <summary>
/// <c>results.csv</c>: one row per backbone and per ensemble with the headline figures of results.json, for
/// spreadsheets (RFC 4180, invariant numbers, empty where a figure does not apply).
/// </summary>
internal static class ResultsCsv
{
    public const string FileName = "results.csv";

    public static readonly IReadOnlyList<string> Columns =
    [
        "kind", "name", "arch_or_method", "weights_or_members", "image_size", "batch_size", "params", "gmacs", "epochs",
        "epoch_seconds_median", "epoch_seconds_iqr", "train_images_per_second",
        "latency_ms_median", "latency_ms_iqr", "latency_ms_p95", "latency_n",
        "test_log_loss", "test_accuracy", "test_auc", "test_n", "validation_log_loss",
        "precision", "channels_last", "inference_samples_per_second", "train_samples_per_second",
    ];

    public static IEnumerable<object?[]> Rows(ExperimentResults results) =>
        results.Backbones.Select(b =>
        {
            var latency = ReportRow.Batch1(b);
            var epochs = b.Train.EpochSeconds;
            return new object?[]
            {
                "backbone", b.Name, b.Arch, b.Weights, b.ImageSize, b.BatchSize, b.Params, b.Gmacs, b.Train.Epochs,
                Statistics.Median(epochs), Statistics.InterquartileRange(epochs), b.Train.ImagesPerSecond,
                latency?.Median, latency?.Iqr, latency?.P95, latency?.N,
                b.Metrics.Test.LogLoss, b.Metrics.Test.Accuracy, b.Metrics.Test.Auc, b.Metrics.Test.N, b.Metrics.Validation.LogLoss,
                b.Precision, b.ChannelsLast ? "true" : "false",
                b.Timing.Throughput?.Inference.SamplesPerSecond, b.Timing.Throughput?.Train.SamplesPerSecond,
            };
        }).Concat(results.Ensembles.Select(e => new object?[]
        {
            "ensemble", e.Name, e.Method, string.Join(" ", e.Members), null, null, null, null, null,
            null, null, null, e.LatencyMsSum, null, null, null,
            e.Metrics.Test.LogLoss, e.Metrics.Test.Accuracy, e.Metrics.Test.Auc, e.Metrics.Test.N, e.Metrics.Validation?.LogLoss,
            null, null, null, null,
        }));

    public static void Write(string path, ExperimentResults results)
    {
        var text = new StringBuilder();
        foreach (var row in Rows(results).Prepend(Columns.ToArray<object?>()))
            text.AppendJoin(',', row.Select(Field)).Append("\r\n");
        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static string Field(object? value)
    {
        var text = value switch
        {
            null => "",
            double d when !double.IsFinite(d) => "",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return Csv.Field(text);
    }
}
