using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Runner.Core.Config;
using Runner.Core.Reporting;
using Runner.Core.Results;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Reporting;

/// <summary>The default templates rendered from a fixed results.json, read back as GitHub would read them.</summary>
public sealed class DefaultReportTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _readme;
    private readonly MarkdownDocument _document;

    public DefaultReportTests()
    {
        var previous = _dir.Sub("previous");
        File.Copy(ReportFixture.PreviousFile, Path.Combine(previous, "results.json"));
        ReportWriter.Write(ReportTemplates.Load(new ReportSpec(ReportTemplates.Default, "unused")), ReportFixture.Current, _dir.Sub("out"), previous);
        _readme = File.ReadAllText(Path.Combine(_dir.Path, "out", "README.md"));
        _document = Markdown.Parse(_readme, new MarkdownPipelineBuilder().UsePipeTables().Build());
    }

    private string Out(string file) => Path.Combine(_dir.Path, "out", file);

    /// <summary>Every GFM table: its header cells, then each body row's cells, as plain text.</summary>
    private List<List<List<string>>> Tables() => _document.Descendants<Table>()
        .Select(t => t.OfType<TableRow>().Select(r => r.OfType<TableCell>().Select(CellText).ToList()).ToList()).ToList();

    private static string CellText(TableCell cell) => string.Concat(cell.Descendants<LiteralInline>().Select(l => l.Content.ToString())).Trim();

    private List<List<string>> TableWithHeader(string first, string second) =>
        Tables().Single(t => t[0].Count > 1 && t[0][0] == first && t[0][1] == second);

    private static List<string> Column(List<List<string>> table, string header) =>
        table.Skip(1).Select(row => row[table[0].IndexOf(header)]).ToList();

    [Fact]
    public void The_three_study_tables_have_a_row_per_backbone_with_the_expected_columns()
    {
        var training = TableWithHeader("Backbone", "Weights");
        Assert.Equal(["Backbone", "Weights", "Image", "Batch", "Epochs", "Seconds per epoch", "IQR s", "n", "Data wait", "Images/s", "Params", "Trainable", "GMACs"], training[0]);
        Assert.Equal(["mlnet_resnet18", "resnet18", "mobilenet_v2"], Column(training, "Backbone"));
        Assert.Equal(["8.55", "3.73", "2.33"], Column(training, "Seconds per epoch"));
        Assert.Equal(["3", "5", "5"], Column(training, "n"));
        Assert.Equal(["0.06", "0.05", "0.04"], Column(training, "IQR s"));

        var inference = TableWithHeader("Backbone", "Image");
        Assert.Equal(["14.22", "6.14", "5.68"], Column(inference, "Median ms"));
        Assert.Equal(["0.80", "0.63", "0.52"], Column(inference, "IQR ms"));
        Assert.Equal(["50", "50", "50"], Column(inference, "n"));
        Assert.Equal(["152.0", "530.7", "798.0"], Column(inference, "Images/s"));
        Assert.Equal(["32", "32", "32"], Column(inference, "At batch"));

        var quality = TableWithHeader("Backbone", "Test log loss");
        Assert.Equal(["0.3796", "0.4918", "0.5530"], Column(quality, "Test log loss"));
        Assert.Equal(["0.8667", "0.7667", "0.7417"], Column(quality, "Test accuracy"));
        // Each backbone trades speed for log loss against the others: none is both slower and worse than another entry.
        Assert.Equal(["★", "★", "★"], Column(quality, "Front"));
    }

    [Fact]
    public void The_batch_halving_note_and_label_appear_only_when_CUDA_halved_a_batch()
    {
        Assert.DoesNotContain("was halved after CUDA", _readme);

        var current = ReportFixture.Current;
        var first = current.Backbones[0];
        var halved = current with { Backbones = [first with { Train = first.Train with { EffectiveBatchSize = 8 } }, .. current.Backbones.Skip(1)] };
        var folder = _dir.Sub("halved");
        ReportWriter.Write(ReportTemplates.Load(new ReportSpec(ReportTemplates.Default, "unused")), halved, folder, previousFolder: null);
        var readme = File.ReadAllText(Path.Combine(folder, "README.md"));
        Assert.Contains("A batch of `32→16` was halved after CUDA ran out of memory.", readme);
        Assert.Contains($"| {first.Name} | {first.Weights} | {first.ImageSize} | {first.BatchSize}→8 |", readme);
    }

    [Fact]
    public void Gpu_versions_and_peak_gpu_memory_appear_only_for_a_gpu_run()
    {
        Assert.DoesNotContain("Peak GPU MB", _readme);

        var current = ReportFixture.Current;
        var h200 = current.Machines[0] with { Device = "cuda", DeviceName = "NVIDIA H200", Driver = "570.86", Cuda = "12.1", Cudnn = "9.1.0" };
        var gpu = current with
        {
            Environment = EnvironmentInfo.Of(h200),
            Machines = [h200],
            Backbones = [.. current.Backbones.Select((b, i) => b with
            {
                Train = b.Train with { PeakGpuMemoryMb = 1000 * (i + 1) + 234.5, Machine = h200.Id }, Timing = b.Timing with { Machine = h200.Id },
            })],
        };
        var folder = _dir.Sub("gpu");
        ReportWriter.Write(ReportTemplates.Load(new ReportSpec(ReportTemplates.Default, "unused")), gpu, folder, previousFolder: null);
        var readme = File.ReadAllText(Path.Combine(folder, "README.md"));
        Assert.Contains("| Machine | NVIDIA H200 (driver 570.86, CUDA 12.1, cuDNN 9.1.0) on AMD EPYC 7B13, 2 cores, 2 threads |", readme);
        Assert.Contains("Peak GPU MB is the most GPU memory", readme);
        var first = current.Backbones[0];
        Assert.Matches($@"\| {first.Name} \|.*\| 1,234 \|\n", readme);
    }

    [Fact]
    public void Precision_gpu_and_throughput_appear_only_when_some_backbone_has_them()
    {
        Assert.DoesNotContain("| Compute |", _readme);
        Assert.DoesNotContain("## Throughput", _readme);

        var current = ReportFixture.Current;
        var (first, second) = (current.Backbones[0], current.Backbones[1]);
        var throughput = new Runner.Core.Results.ThroughputResult(
            new(256, 192, 4302.8, 44.6, 0.5, 40, 10),
            new(256, 128, 1218.4, 105.1, 1.2, 40, 10) { ForwardMs = 30.5, BackwardMs = 60.25, OptimizerMs = 14.5 });
        var fast = current with
        {
            Backbones =
            [
                first with
                {
                    Precision = Precisions.AmpFp16, ChannelsLast = true,
                    Train = first.Train with { Gpu = new Runner.Core.Results.GpuInfo(2, "NVIDIA H100") },
                    Timing = first.Timing with { Throughput = throughput },
                },
                .. current.Backbones.Skip(1),
            ],
        };
        var folder = _dir.Sub("fast");
        ReportWriter.Write(ReportTemplates.Load(new ReportSpec(ReportTemplates.Default, "unused")), fast, folder, previousFolder: null);
        var readme = File.ReadAllText(Path.Combine(folder, "README.md"));
        var document = Markdown.Parse(readme, new MarkdownPipelineBuilder().UsePipeTables().Build());
        var tables = document.Descendants<Table>()
            .Select(t => t.OfType<TableRow>().Select(r => r.OfType<TableCell>().Select(CellText).ToList()).ToList()).ToList();

        var training = tables.Single(t => t[0][0] == "Backbone" && t[0][1] == "Weights");
        Assert.Equal(["amp_fp16, channels_last", "fp32", "fp32"], Column(training, "Compute"));
        Assert.Equal(["2", "–", "–"], Column(training, "GPU"));
        var measured = tables.Single(t => t[0][0] == "Backbone" && t[0].Contains("Inference samples/s"));
        Assert.Equal(["Backbone", "Compute", "Inference batch", "Inference samples/s", "Step ms", "Train batch", "Train samples/s", "Step ms",
            "Forward ms", "Backward ms", "Optimizer ms"], measured[0]);
        Assert.Equal([first.Name, "amp_fp16, channels_last", "192", "4302.8", "44.60", "128", "1218.4", "105.10", "30.50", "60.25", "14.50"],
            measured[1]);
        Assert.All(measured.Skip(2), row => Assert.All(row.Skip(2), cell => Assert.Equal("–", cell))); // timed without throughput
        var csv = File.ReadAllLines(Path.Combine(folder, "results.csv"));
        Assert.EndsWith(",precision,channels_last,inference_samples_per_second,train_samples_per_second", csv[0]);
        Assert.EndsWith(",amp_fp16,true,4302.8,1218.4", csv[1]);
        Assert.EndsWith(",fp32,false,,", csv[2]);
    }

    [Fact]
    public void Peak_resident_memory_appears_when_train_json_recorded_it()
    {
        Assert.DoesNotContain("Peak RSS MB", _readme); // the fixture's trainings predate rss_mb

        var current = ReportFixture.Current;
        var measured = current with
        {
            Backbones = [.. current.Backbones.Select((b, i) => b with { Train = b.Train with { RssMb = [900.0 + i, 1234.4 + i, 1100] } })],
        };
        var folder = _dir.Sub("rss");
        ReportWriter.Write(ReportTemplates.Load(new ReportSpec(ReportTemplates.Default, "unused")), measured, folder, previousFolder: null);

        var training = Markdown.Parse(File.ReadAllText(Path.Combine(folder, "README.md")), new MarkdownPipelineBuilder().UsePipeTables().Build())
            .Descendants<Table>().Select(t => t.OfType<TableRow>().Select(r => r.OfType<TableCell>().Select(CellText).ToList()).ToList())
            .Single(t => t[0].Count > 1 && t[0][1] == "Weights");
        Assert.Equal(["1,234", "1,235", "1,236"], Column(training, "Peak RSS MB"));
        var csv = File.ReadAllLines(Path.Combine(folder, "results.csv"));
        Assert.EndsWith(",peak_rss_mb,precision,channels_last,inference_samples_per_second,train_samples_per_second", csv[0]);
        Assert.EndsWith(",1234.4,fp32,false,,", csv[1]);
    }

    [Fact]
    public void The_best_value_of_each_column_is_bold()
    {
        Assert.Contains("| mobilenet_v2 | none | 32 | 16 | 5 | **2.33** |", _readme);
        Assert.Contains("| **5.68** |", _readme);
        Assert.Contains("| mlnet_resnet18 | **0.3796** | – | **0.8667** |", _readme);
        Assert.Contains("| classic | stacking (hidden 32-8 over logits) | mlnet_resnet18, resnet18, mobilenet_v2 | **0.3512** | – | **0.8750** |", _readme);
    }

    [Fact]
    public void The_ensembles_table_shows_method_members_quality_gain_cost_and_the_front()
    {
        var ensembles = TableWithHeader("Ensemble", "Method");
        Assert.Equal(["Ensemble", "Method", "Members", "Test log loss", "Δ vs classic (95 % CI)", "Test accuracy", "n", "Best member", "Gain over best member", "Inference cost ms", "Front"], ensembles[0]);
        Assert.Equal(["classic", "small"], Column(ensembles, "Ensemble"));
        Assert.Equal(["stacking (hidden 32-8 over logits)", "weighted (over probabilities; weights resnet18 0.55, mobilenet_v2 0.45)"], Column(ensembles, "Method"));
        Assert.Equal(["+0.0284", "−0.0082"], Column(ensembles, "Gain over best member"));
        Assert.Equal(["26.04", "11.82"], Column(ensembles, "Inference cost ms"));
        // classic has the lowest log loss of all; small (11.82 ms, 0.5000) is both slower and worse than resnet18 (6.14 ms, 0.4918).
        Assert.Equal(["★", ""], Column(ensembles, "Front"));
    }

    [Fact]
    public void The_header_names_the_machine_software_dataset_and_a_verdict()
    {
        Assert.StartsWith("# quickstart\n\nLowest test log loss: **classic** (0.3512, ensemble); " +
            "fastest inference: **mobilenet_v2** (5.68 ms per image; ahead of the runner-up resnet18, 6.14 ms per image, at 95 %); " +
            "best accuracy per ms: mobilenet_v2 (0.131), not told apart from the runner-up resnet18 (0.125) at 95 %; " +
            "fastest training: **mobilenet_v2** (2.3 s per epoch; ahead of the runner-up resnet18, 3.7 s per epoch, at 95 %).", _readme);
        var header = Tables()[0];
        Assert.Equal(["Created", "2026-11-29 04:08 UTC"], header[1]);
        Assert.Equal(["Commit", "76ba14658ca0"], header[2]);
        Assert.Equal(["Machine", "AMD EPYC 7B13, 2 cores, 2 threads"], header[3]);
        Assert.Equal(["Software", "runner 0.2.0, TorchSharp 0.107.0, libtorch 2.10.0.0"], header[4]);
        Assert.Equal(["Dataset", "fashion-mnist-shirts: shirt, tshirt_top — train 360, validation 120, test 120 images"], header[5]);
    }

    [Fact]
    public void Results_from_before_machines_were_recorded_still_name_their_device()
    {
        var old = ReportModel.From(ReportFixture.Current with { Machines = [] });
        var (_, readme) = ReportWriter.Render(ReportTemplates.Load(new ReportSpec(ReportTemplates.Default, "unused")), old).Single();

        Assert.Contains("| Device | AMD EPYC ×2 (cpu, 2 threads) |", readme);
        Assert.DoesNotContain("## Machines", readme);
    }

    [Fact]
    public void Every_image_the_report_references_exists_and_is_a_valid_png_with_an_svg_beside_it()
    {
        var images = _document.Descendants<LinkInline>().Where(l => l.IsImage).Select(l => l.Url!).ToList();
        Assert.Contains("plot-latency-vs-log-loss.png", images);
        Assert.Contains("plot-loss-per-epoch.png", images);
        Assert.Contains("plot-throughput.png", images);
        Assert.Contains("plot-epochs-mobilenet_v2.png", images);
        Assert.Equal(6, images.Count);
        foreach (var image in images)
        {
            var bytes = File.ReadAllBytes(Out(image));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
            using var bitmap = SkiaSharp.SKBitmap.Decode(bytes);
            Assert.True(bitmap is { Width: >= 600, Height: >= 250 }, image);
            Assert.Contains("<svg", File.ReadAllText(Out(Path.ChangeExtension(image, ".svg"))));
        }
    }

    [Fact]
    public void The_diff_marks_only_the_figures_that_moved_beyond_their_noise_threshold()
    {
        var changes = TableWithHeader("Name", "Metric");
        Assert.Equal(3, changes.Count);
        Assert.Equal(["mlnet_resnet18", "test accuracy", "0.7000", "0.8667", "▲ +0.1667", "±0.1042", "better"], changes[1]);
        Assert.Equal(["mobilenet_v2", "latency ms (batch 1)", "7.4000", "5.6800", "▼ −1.7200", "±0.3700", "better"], changes[2]);
        // The other 14 figures (incl. resnet18's accuracy 0.75 → 0.7667 and mlnet_resnet18's latency 14.40 → 14.22) are noise.
        Assert.Contains("14 of 16 compared figures stayed within it.", _readme);
    }

    [Fact]
    public void Results_csv_has_a_row_per_backbone_and_ensemble()
    {
        var lines = File.ReadAllLines(Out("results.csv"));
        Assert.Equal(6, lines.Length);
        Assert.StartsWith("kind,name,arch_or_method,weights_or_members,image_size,", lines[0]);
        Assert.StartsWith("backbone,mobilenet_v2,mobilenet_v2,none,32,16,2225153,0.006,5,2.33,", lines[3]);
        Assert.StartsWith("ensemble,small,weighted,resnet18 mobilenet_v2,,,,,,,,,11.82,", lines[5]);
        Assert.True(File.Exists(Out("results.json")));
    }

    public void Dispose() => _dir.Dispose();
}
