using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Evaluation;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Core.Publishing;
using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Core.Reporting;

/// <summary>The <c>report</c> task: results.json plus the rendered templates, copied to <c>report.output</c>.</summary>
public sealed class ReportExecutor(ReportTemplates templates) : ITaskExecutor, IMaterializes
{
    public string Kind => TaskKinds.Report;

    public void Execute(TaskContext context)
    {
        var results = ResultsBuilder.Build(context.Spec, context.Inputs, CurrentCommit());
        // The folder still holds the previous run's results.json (the committed one): the report shows what changed.
        ReportWriter.Write(templates, results, context.OutputDir, context.Spec.Report.Output);
        foreach (var b in context.Spec.Backbones)
        {
            // Each eval task's Kaggle submission (dataset.predict), copied as submission-<backbone>.csv.
            var eval = context.Input($"{TaskKinds.Eval}:{b.Name}");
            if (eval.Manifest.Files.Any(f => f.Name == EvalResult.Submission))
                AtomicFile.WriteAllBytes(context.Output(Submission.ReportFileName(b.Name)), File.ReadAllBytes(eval.PathOf(EvalResult.Submission)));
        }
    }

    public void Materialize(CacheEntry entry, ExperimentSpec spec)
    {
        ReportFolder.Claim(spec.Report.Output, spec.Name);
        foreach (var file in entry.Manifest.Files)
        {
            var target = Path.Combine(spec.Report.Output, file.Name);
            var bytes = File.ReadAllBytes(entry.PathOf(file.Name));
            if (!File.Exists(target) || !File.ReadAllBytes(target).AsSpan().SequenceEqual(bytes))
                AtomicFile.WriteAllBytes(target, bytes);
        }
    }

    private static string? CurrentCommit() =>
        Environment.GetEnvironmentVariable("GITHUB_SHA") is { Length: > 0 } sha ? sha : LocalGit.ShortHeadCommit();
}
