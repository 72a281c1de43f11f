using Runner.Core.Cache;
using Runner.Core.Data;
using Runner.Core.Ensembles;
using Runner.Core.Machines;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Core.Reporting;

/// <summary>Assembles <c>results.json</c> from the cached artifacts of the tasks a report depends on.</summary>
internal static class ResultsBuilder
{
    /// <summary>The results of an experiment; <see cref="EnvironmentInfo.Commit"/> is left to the report's materialisation.</summary>
    public static ExperimentResults Build(ReportParams spec, IReadOnlyDictionary<string, CacheEntry> inputs)
    {
        var split = SplitManifest.Read(inputs[DataKind.Id]);
        var backbones = new List<BackboneResult>();
        var machines = new List<Machine>();
        string? Note(Machine? machine)
        {
            if (machine is null) return null;
            if (!machines.Contains(machine)) machines.Add(machine);
            return machine.Id;
        }
        EnvironmentInfo? environment = null;
        foreach (var b in spec.Backbones)
        {
            var train = Json.Read<TrainResult>(inputs[TrainKind.Of(b.Name)].PathOf(TrainResult.FileName));
            var eval = Json.Read<EvalResult>(inputs[EvalKind.Of(b.Name)].PathOf(EvalResult.FileName));
            var timing = Json.Read<TimingResult>(inputs[TimeKind.Of(b.TimedBy)].PathOf(TimingResult.FileName));
            environment ??= EnvironmentInfo.Of(timing.Machine);
            backbones.Add(new BackboneResult(
                b.Name, b.Arch, b.Weights, b.ImageSize, b.BatchSize, train.Params, train.GMacs, train.CheckpointBytes,
                new TrainSummary(train.Epochs, train.EpochSeconds, train.DataWaitSeconds, train.ImagesPerSecond, train.TrainLoss, train.ValLogLoss)
                {
                    BestEpoch = train.BestEpoch, StoppedEarly = train.StoppedEarly, TrainableParams = train.TrainableParams,
                    RssMb = train.RssMb, EffectiveBatchSize = train.EffectiveBatchSize, PeakGpuMemoryMb = train.PeakGpuMemoryMb,
                    Phases = train.Phases, EstimatedSeconds = train.EstimatedSeconds, TaskSeconds = train.TaskSeconds, Machine = Note(train.Machine),
                    SkippedSteps = train.SkippedSteps, Gpu = train.Gpu,
                },
                eval,
                new TimingSummary(timing.LatencyMs, timing.ImagesPerSecond)
                {
                    Machine = Note(timing.Machine), TimedBy = b.TimedBy == b.Name ? null : b.TimedBy,
                    Throughput = timing.Throughput, Gpu = timing.Gpu, PeakGpuMemoryMb = timing.PeakGpuMemoryMb,
                })
            {
                Variant = Significance.VariantOf(b),
                Precision = train.Precision ?? Config.Precisions.Default, // older entries trained in fp32, NCHW
                ChannelsLast = train.ChannelsLast ?? false,
            });
        }
        var ensembles = spec.Ensembles.Select(e => EnsembleOf(e, inputs[EnsembleKind.Of(e.Name)], backbones)).ToList();
        var bootstrap = Significance.AgainstBest(
            spec.Backbones.Select(b => (b.Name, Task: (string)EvalKind.Of(b.Name)))
                .Concat(spec.Ensembles.Select(e => (e.Name, Task: (string)EnsembleKind.Of(e.Name))))
                .ToDictionary(m => m.Name, m => Json.Read<Dictionary<string, SplitPredictions>>(inputs[m.Task].PathOf(EvalResult.Predictions))[Splits.Test]));
        return new ExperimentResults(
            spec.Experiment, Planner.RunnerVersion, DateTime.UtcNow,
            environment ?? EnvironmentInfo.Unknown,
            new DatasetSummary(spec.Dataset, split.Classes,
                Splits.All.ToDictionary(s => s, s => split.Counts[s].Values.Sum()),
                split.Skipped ?? []),
            backbones.Select(b => b with { Bootstrap = bootstrap.GetValueOrDefault(b.Name) }).ToList(),
            ensembles.Select(e => e with { Bootstrap = bootstrap.GetValueOrDefault(e.Name) }).ToList())
        {
            RepeatGroups = Significance.RepeatGroups(spec.Backbones, backbones),
            Machines = machines,
        };
    }

    /// <summary>An ensemble's entry: its fit's metrics, the sum of its members' batch-1 latency medians, and its gain over the best member (test log loss).</summary>
    private static EnsembleResult EnsembleOf(ReportEnsemble spec, CacheEntry entry, IReadOnlyList<BackboneResult> backbones)
    {
        var fit = Json.Read<EnsembleFit>(entry.PathOf(EnsembleFit.FileName));
        var members = spec.Members.Select(m => backbones.Single(b => b.Name == m)).ToList();
        var latencies = members.Select(m => m.Timing.LatencyMs.GetValueOrDefault("1")?.Median).ToList();
        var best = members.MinBy(m => m.Metrics.Test.LogLoss)!;
        return new EnsembleResult(spec.Name, spec.Method, spec.Members,
            new EnsembleMetrics(fit.Test) { Validation = fit.Validation },
            latencies.All(l => l is not null) ? latencies.Sum() : null)
        {
            Inputs = spec.Inputs,
            Hidden = spec.Hidden,
            Weights = fit.Weights,
            BestMember = best.Name,
            GainOverBestMember = best.Metrics.Test.LogLoss - fit.Test.LogLoss,
        };
    }
}
