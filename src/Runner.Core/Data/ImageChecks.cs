using Runner.Core.Execution;

namespace Runner.Core.Data;

/// <summary>Runs an <see cref="IImageValidator"/> over many files in parallel, with progress.</summary>
internal static class ImageChecks
{
    internal sealed record Target(string DisplayPath, string FullPath);

    public static IReadOnlyList<FileProblem> Run(IReadOnlyList<Target> files, IImageValidator validator,
        ITaskProgress? progress = null, int? threads = null, CancellationToken cancel = default)
    {
        var problems = new string?[files.Count];
        var done = 0;
        var report = new object();
        var lastReport = System.Diagnostics.Stopwatch.StartNew();
        Parallel.For(0, files.Count,
            new ParallelOptions { CancellationToken = cancel, MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount },
            i =>
            {
                problems[i] = validator.Problem(files[i].FullPath);
                var n = Interlocked.Increment(ref done);
                if (progress is null || (n != files.Count && lastReport.ElapsedMilliseconds < 200)) return;
                if (!Monitor.TryEnter(report)) return;
                try
                {
                    lastReport.Restart();
                    progress.Update(n, files.Count, $"checked {n}/{files.Count} images");
                }
                finally
                {
                    Monitor.Exit(report);
                }
            });
        return files.Select((f, i) => problems[i] is { } p ? new FileProblem(f.DisplayPath, p) : null).OfType<FileProblem>().ToList();
    }
}
