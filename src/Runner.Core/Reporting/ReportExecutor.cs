using System.Diagnostics;
using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Evaluation;
using Runner.Core.Execution;
using Runner.Core.Planning;
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
        Directory.CreateDirectory(spec.Report.Output);
        foreach (var file in entry.Manifest.Files)
        {
            var target = Path.Combine(spec.Report.Output, file.Name);
            var source = entry.PathOf(file.Name);
            if (!File.Exists(target) || !File.ReadAllBytes(target).AsSpan().SequenceEqual(File.ReadAllBytes(source)))
                AtomicFile.WriteAllBytes(target, File.ReadAllBytes(source));
        }
    }

    private static string? CurrentCommit()
    {
        if (Environment.GetEnvironmentVariable("GITHUB_SHA") is { Length: > 0 } sha) return sha;
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short=12 HEAD")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            });
            if (git is null) return null;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
