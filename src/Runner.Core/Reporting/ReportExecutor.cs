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
public sealed class ReportExecutor(ReportTemplates templates) : ITaskExecutor<ReportKind>, IMaterializes
{
    public void Execute(TaskContext context)
    {
        var parameters = context.Params<ReportParams>();
        var results = ResultsBuilder.Build(parameters, context.Inputs);
        var plots = ReportWriter.WriteResults(results, context.OutputDir);
        // A template that fails fails the task, before it is cached.
        _ = ReportWriter.Render(templates, ReportModel.From(results, plots), context.Cancel).ToList();
        foreach (var b in parameters.Backbones)
        {
            // Each eval task's Kaggle submission (dataset.predict), copied as submission-<backbone>.csv.
            var eval = context.Input(EvalKind.Of(b.Name));
            if (eval.Manifest.Files.Any(f => f.Name == EvalResult.Submission))
                AtomicFile.WriteAllBytes(context.Output(Submission.ReportFileName(b.Name)), File.ReadAllBytes(eval.PathOf(EvalResult.Submission)));
        }
    }

    /// <summary>
    /// Writes the report folder (<see cref="TaskEnvironment.ReportOutput"/>) from the entry. Results new to the folder get the current
    /// commit and are compared with the results.json they replace (remembered under the runner home, <see cref="DiffBase"/>).
    /// Results already there (same experiment and creation time) keep their commit and remembered comparison, so a cached
    /// re-run, or <c>runner report</c> after a file was deleted, writes what was first written.
    /// </summary>
    public string Describe(PlannedTask task, TaskEnvironment environment) => $"Report: {Path.Combine(environment.ReportOutput, "README.md")}";

    public void Materialize(CacheEntry entry, PlannedTask task, TaskEnvironment environment, CancellationToken cancel)
    {
        var parameters = (ReportParams)task.Parameters;
        var output = environment.ReportOutput;
        ReportFolder.Claim(output, parameters.Experiment);
        var cached = Json.Read<ExperimentResults>(entry.PathOf(ExperimentResults.FileName));
        var plots = Json.Read<ReportPlots>(entry.PathOf(ReportWriter.PlotsFile));
        var (inFolder, note) = ReportWriter.ReadPrevious(output);
        var memo = DiffBase(output);
        ExperimentResults results;
        if (inFolder is not null && inFolder.Experiment == cached.Experiment && inFolder.Created == cached.Created)
        {
            results = inFolder; // already published: its commit stays, and it is compared with what it replaced
            (inFolder, note) = File.Exists(memo) ? Json.Read<Compared>(memo) : new Compared(null, ReportWriter.NoPrevious);
        }
        else
        {
            results = cached with { Environment = cached.Environment with { Commit = CurrentCommit() } };
            Json.Write(memo, new Compared(inFolder, note));
        }
        var rendered = Path.Combine(Path.GetTempPath(), $"runner-report-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            ReportWriter.WriteRendered(templates, results, plots, rendered, inFolder, note, cancel);
            Json.Write(Path.Combine(rendered, ExperimentResults.FileName), results);
            foreach (var file in entry.Manifest.Files.Where(f => !KeptInCache(f.Name)))
                CopyIfChanged(entry.PathOf(file.Name), Path.Combine(output, file.Name));
            foreach (var file in Directory.GetFiles(rendered)) CopyIfChanged(file, Path.Combine(output, Path.GetFileName(file)));
        }
        finally
        {
            if (Directory.Exists(rendered)) Directory.Delete(rendered, recursive: true);
        }
    }

    /// <summary>The entry's files that are not copied as they are: results.json (stamped), the plot list, a marker (the folder's own).</summary>
    private static bool KeptInCache(string file) => file is ExperimentResults.FileName or ReportWriter.PlotsFile or ReportFolder.MarkerFile;

    /// <summary>What a report folder's results were compared with when they were published there.</summary>
    private sealed record Compared(ExperimentResults? Previous, string? Note);

    /// <summary>Where the runner home remembers <see cref="Compared"/> for a report folder (by its full path).</summary>
    private static string DiffBase(string output) => Path.Combine(RunnerHome.Root(), "reports",
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(output))))[..16] + ".json");

    private static void CopyIfChanged(string source, string target)
    {
        var bytes = File.ReadAllBytes(source);
        if (!File.Exists(target) || !File.ReadAllBytes(target).AsSpan().SequenceEqual(bytes))
            AtomicFile.WriteAllBytes(target, bytes);
    }

    private static string? CurrentCommit() =>
        Environment.GetEnvironmentVariable("GITHUB_SHA") is { Length: > 0 } sha ? sha : LocalGit.ShortHeadCommit();
}
