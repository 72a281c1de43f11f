using Runner.Core.Cache;
using Runner.Core.Evaluation;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Core.Publishing;
using Runner.Core.Reporting.Plots;
using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Core.Reporting;

/// <summary>
/// The <c>report</c> task: results.json, results.csv and the plots, from its inputs and <see cref="ReportParams"/> only.
/// <see cref="Materialize"/> then writes the report folder: it stamps the git commit into results.json, compares with the
/// results.json already there and renders the templates. Neither the commit nor the previous results are read by the
/// cached task, so they need no place in its key and a re-run stays cached.
/// </summary>
public sealed class ReportExecutor(ReportTemplates templates) : ITaskExecutor, IMaterializes
{
    public string Kind => ReportKind.Name;

    public void Execute(TaskContext context)
    {
        var parameters = context.Params<ReportParams>();
        var results = ResultsBuilder.Build(parameters, context.Inputs);
        var plots = ReportWriter.WriteResults(results, context.OutputDir);
        _ = ReportWriter.Render(templates, ReportModel.From(results, plots)).ToList(); // a template that fails fails the task, before it is cached
        foreach (var b in parameters.Backbones)
        {
            // Each eval task's Kaggle submission (dataset.predict), copied as submission-<backbone>.csv.
            var eval = context.Input(EvalKind.Of(b.Name));
            if (eval.Manifest.Files.Any(f => f.Name == EvalResult.Submission))
                AtomicFile.WriteAllBytes(context.Output(Submission.ReportFileName(b.Name)), File.ReadAllBytes(eval.PathOf(EvalResult.Submission)));
        }
    }

    /// <summary>
    /// Copies the entry to <see cref="ReportParams.Output"/>. When the folder's results.json is already this entry's (same
    /// experiment and generation time), what is there stays as it was (its commit and diff included) and only missing or
    /// changed files are restored; otherwise the commit is stamped, the diff taken against the folder's results.json and
    /// the templates rendered.
    /// </summary>
    public void Materialize(CacheEntry entry, PlannedTask task)
    {
        var parameters = (ReportParams)task.Parameters;
        var output = parameters.Output;
        ReportFolder.Claim(output, parameters.Experiment);
        var results = Json.Read<ExperimentResults>(entry.PathOf(ExperimentResults.FileName));
        var plots = Json.Read<ReportPlots>(entry.PathOf(ReportWriter.PlotsFile));
        var (previous, note) = ReportWriter.ReadPrevious(output);
        var published = previous is not null && previous.Experiment == results.Experiment && previous.Created == results.Created;
        foreach (var file in entry.Manifest.Files.Where(f => f.Name is not (ExperimentResults.FileName or ReportWriter.PlotsFile)))
            CopyIfChanged(entry.PathOf(file.Name), Path.Combine(output, file.Name));
        if (published && templates.Templates.Keys.All(file => File.Exists(Path.Combine(output, file)))) return;
        if (published)
        {
            ReportWriter.WriteRendered(templates, previous!, plots, output, null, "The report was restored from the cache; nothing is compared.");
            return;
        }
        var stamped = results with { Environment = results.Environment with { Commit = CurrentCommit() } };
        // The diff is read before results.json is replaced.
        var rendered = Path.Combine(Path.GetTempPath(), $"runner-report-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            ReportWriter.WriteRendered(templates, stamped, plots, rendered, previous, note);
            Json.Write(Path.Combine(output, ExperimentResults.FileName), stamped);
            foreach (var file in Directory.GetFiles(rendered)) CopyIfChanged(file, Path.Combine(output, Path.GetFileName(file)));
        }
        finally
        {
            if (Directory.Exists(rendered)) Directory.Delete(rendered, recursive: true);
        }
    }

    private static void CopyIfChanged(string source, string target)
    {
        var bytes = File.ReadAllBytes(source);
        if (!File.Exists(target) || !File.ReadAllBytes(target).AsSpan().SequenceEqual(bytes))
            AtomicFile.WriteAllBytes(target, bytes);
    }

    private static string? CurrentCommit() =>
        Environment.GetEnvironmentVariable("GITHUB_SHA") is { Length: > 0 } sha ? sha : LocalGit.ShortHeadCommit();
}
