using System.Globalization;
using System.CommandLine;
using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Execution;
using Runner.Core.Util;

namespace Runner.Cli.Commands;

/// <summary><c>runner cache ls</c> and <c>runner cache gc</c>: what the cache holds, and dropping what no experiment uses.</summary>
internal static class CacheCommand
{
    public static Command Create()
    {
        var remote = new Option<string?>("--remote")
        {
            Description = $"List the remote cache instead: ${RemoteLocation.Variable}, or the s3://BUCKET/PREFIX given",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var ls = new Command("ls", "List cache entries: key, task, size, age and the experiments whose last run used them") { remote };
        ls.SetAction(p => CommandLine.Guard(() => p.GetResult(remote) is null ? List() : CacheSyncCommand.ListRemote(p.GetValue(remote))));

        var files = new Argument<string[]>("FILE")
        {
            Description = "Experiment files whose entries to keep (default: experiments/*.yaml)", Arity = ArgumentArity.ZeroOrMore,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only say what would be removed" };
        var gc = new Command("gc", "Remove entries that no experiment file's last run used, and staging folders left by killed runs") { files, dryRun };
        gc.SetAction(p => CommandLine.Guard(() => Collect(p.GetValue(files) ?? [], p.GetValue(dryRun))));

        var experiment = CommandLine.FileArgument();
        var output = new Option<string>("--out") { Description = "Archive to write (.tar.gz)", Required = true };
        var export = new Command("export", "Write the cache entries FILE's last run used (and what they depend on) to a .tar.gz") { experiment, output };
        export.SetAction(p => CommandLine.Guard(() => Export(p.GetValue(experiment)!, p.GetValue(output)!)));

        var archives = new Argument<string[]>("ARCHIVE") { Description = "Archives written by 'runner cache export'",
            Arity = ArgumentArity.OneOrMore };
        var import = new Command("import", "Add the entries of archives that the cache lacks; a damaged archive is refused as a whole") { archives };
        import.SetAction(p => CommandLine.Guard(() => Import(p.GetValue(archives)!)));

        return new Command("cache", "Inspect, clean, export and import the task cache ($RUNNER_HOME/cache), and sync it with the remote cache")
        {
            ls, gc, export, import, CacheSyncCommand.Push(), CacheSyncCommand.Pull(),
        };
    }

    private static int Export(string file, string archive)
    {
        if (Directory.Exists(archive))
            throw new UsageException(
                $"cache export --out {archive}: is a folder; name the archive file (e.g. {Path.Combine(archive, "cache.tar.gz")})");
        if (Path.GetDirectoryName(Path.GetFullPath(archive)) is { } parent && !Directory.Exists(parent))
            throw new UsageException($"cache export --out {archive}: the folder {parent} does not exist");
        var experiment = ExperimentLoader.NameOf(file);
        CommandLine.RequireWritableHome();
        var cache = Session.OpenCache();
        var exported = CacheArchive.Export(cache, experiment, archive, Interruption.Token);
        if (exported.Count == 0)
            throw new UsageException($"cache export: the cache in {cache.Root} records no run of experiment '{experiment}' ({file}); run it first");
        Console.WriteLine($"Exported {exported.Count} entries ({Size(new FileInfo(archive).Length)}) of '{experiment}' to {archive}.");
        return ExitCodes.Success;
    }

    /// <summary>Each archive in turn: a missing or damaged one is bad input (exit 2), a cache that cannot take them a failure (exit 1).</summary>
    private static int Import(string[] archives)
    {
        CommandLine.RequireWritableHome();
        var cache = Session.OpenCache();
        var code = ExitCodes.Success;
        foreach (var archive in archives)
        {
            if (RegularFile.Problem(archive) is { } problem)
            {
                Console.Error.WriteLine($"runner: {archive}: {problem}");
                code = Math.Max(code, ExitCodes.InvalidInput);
                continue;
            }
            try
            {
                var result = CacheArchive.Import(cache, archive, Interruption.Token);
                Console.WriteLine($"Imported {result.Imported.Count} entries from {archive}; {result.Skipped.Count} were already in {cache.Root}.");
            }
            catch (DamagedArchiveException e)
            {
                Console.Error.WriteLine($"runner: {e.Message}");
                code = Math.Max(code, ExitCodes.InvalidInput);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"runner: {archive}: not imported: {StorageFault.Describe(e, cache.Root) ?? e.Message}");
                code = ExitCodes.TasksFailed;
            }
        }
        return code;
    }

    private static int List()
    {
        var cache = Session.OpenCache();
        var items = CacheInventory.List(cache);
        var width = Math.Max(4, items.Select(i => i.TaskId.Length).DefaultIfEmpty(0).Max());
        Console.WriteLine($"{"KEY",-12}  {"TASK".PadRight(width)}  {"REV",3}  {"RUNNER",-7}  {"SIZE",10}  {"AGE",5}  EXPERIMENTS");
        foreach (var i in items)
            Console.WriteLine($"{i.Key[..12]}  {i.TaskId.PadRight(width)}  {i.Revision?.ToString(CultureInfo.InvariantCulture) ?? "-",3}  {i.RunnerVersion,-7}  " +
                $"{Size(i.Bytes),10}  {Age(i.Created),5}  {(i.Experiments.Count == 0 ? "-" : string.Join(", ", i.Experiments))}");
        var staging = cache.StagingFolders().ToList();
        var resume = Directory.Exists(cache.ResumeRoot) ? Directory.GetDirectories(cache.ResumeRoot) : [];
        Console.WriteLine($"{items.Count} entries, {Size(items.Sum(i => i.Bytes))} in {cache.Root}; " +
            $"{staging.Count} staging folders ({Size(staging.Sum(s => CacheInventory.SizeOf(s.Directory)))}), " +
            $"{resume.Length} resume points ({Size(resume.Sum(CacheInventory.SizeOf))}).");
        return ExitCodes.Success;
    }

    private static int Collect(string[] files, bool dryRun)
    {
        if (files.Length == 0)
            files = Directory.Exists("experiments") ? Directory.GetFiles("experiments", "*.yaml").Order(StringComparer.Ordinal).ToArray() : [];
        if (files.Length == 0) throw new UsageException("cache gc: no experiment files given and none in experiments/*.yaml; nothing would be kept");
        // Only names are needed: a file that does not parse stops gc (exit 2), a dataset absent on this machine does not.
        var experiments = files.Select(ExperimentLoader.NameOf).ToHashSet();

        if (!dryRun) CommandLine.RequireWritableHome();
        var result = CacheInventory.Collect(Session.OpenCache(), experiments, dryRun);
        var verb = dryRun ? "would remove" : "removed";
        foreach (var item in result.Removed) Console.WriteLine($"{verb} {item.Key[..12]}  {item.TaskId}  {Size(item.Bytes)}");
        foreach (var item in result.InUse) Console.WriteLine($"kept   {item.Key[..12]}  {item.TaskId}: a run holds its lock");
        Console.WriteLine($"Kept what the last runs of {string.Join(", ", experiments.Order(StringComparer.Ordinal))} used; " +
            $"{verb} {result.Removed.Count} entries ({Size(result.BytesFreed)}) and {result.LeftoversRemoved} staging folders.");
        return ExitCodes.Success;
    }

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.0} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB",
    };

    public static string Age(DateTimeOffset created) => (DateTimeOffset.UtcNow - created) switch
    {
        var a when a.TotalMinutes < 1 => $"{a.TotalSeconds:0}s",
        var a when a.TotalHours < 1 => $"{a.TotalMinutes:0}m",
        var a when a.TotalDays < 1 => $"{a.TotalHours:0}h",
        var a => $"{a.TotalDays:0}d",
    };
}
