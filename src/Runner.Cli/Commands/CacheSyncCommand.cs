using System.CommandLine;
using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Torch;

namespace Runner.Cli.Commands;

/// <summary><c>runner cache push</c>, <c>cache pull</c> and <c>cache ls --remote</c>: the local cache and the remote cache, explicitly.</summary>
internal static class CacheSyncCommand
{
    public static Command Push()
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "Push the entries these experiments' last runs used, with their dependencies (default: every entry)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var push = new Command("push", "Upload local entries the remote cache lacks") { files, RemoteOptions.Remote };
        push.SetAction(p => CommandLine.Guard(() => PushEntries(p.GetValue(files) ?? [], RemoteOptions.From(p))));
        return push;
    }

    public static Command Pull()
    {
        var files = new Argument<string[]>("FILE") { Description = "Experiment files whose tasks to fetch", Arity = ArgumentArity.OneOrMore };
        var pull = new Command("pull", "Fetch every entry FILE's plan needs that the remote cache has and this one lacks, without running anything")
        {
            files, RunCommand.Device, RunCommand.Threads, RemoteOptions.Remote,
        };
        pull.SetAction(p => CommandLine.Guard(() =>
            PullEntries(p.GetValue(files)!, p.GetValue(RunCommand.Device)!, p.GetValue(RunCommand.Threads), RemoteOptions.From(p))));
        return pull;
    }

    private static int PushEntries(string[] files, RemoteOptions.Choice choice)
    {
        using var remote = RemoteOptions.Require(choice, "cache push");
        var cache = Session.OpenCache();
        var entries = files.Length == 0 ? cache.Entries().OrderBy(e => e.Manifest.Key, StringComparer.Ordinal).ToList()
            : CacheInventory.EntriesUsedBy(cache, files.Select(ExperimentLoader.NameOf).ToHashSet());
        if (entries.Count == 0)
            throw new UsageException(files.Length == 0 ? $"cache push: the cache in {cache.Root} is empty"
                : $"cache push: the cache in {cache.Root} records no run of {string.Join(", ", files)}; run it first");
        int there = 0, refused = 0;
        foreach (var (entry, i) in entries.Select((e, i) => (e, i + 1)))
        {
            var upload = remote.Upload(entry);
            if (upload.Result == RemoteResult.Unavailable) return ExitCodes.TasksFailed; // reported once, on stderr
            there += upload.Result == RemoteResult.AlreadyThere ? 1 : 0;
            refused += upload.Result == RemoteResult.Refused ? 1 : 0;
            var size = CacheCommand.Size(entry.Manifest.Files.Sum(f => f.Size));
            Console.WriteLine($"[{i}/{entries.Count}] {entry.Manifest.TaskId}  {size}  " + upload.Result switch
            {
                RemoteResult.Transferred => $"uploaded ({CacheCommand.Size(upload.Bytes)} sent in {upload.Time.TotalSeconds:0.00} s)",
                RemoteResult.AlreadyThere => "already on the remote",
                _ => $"NOT uploaded: {upload.Problem}",
            });
        }
        Console.WriteLine($"{Summary(remote)} {there} were already there{(refused > 0 ? $"; {refused} corrupt here, not uploaded" : "")}.");
        return refused > 0 ? ExitCodes.TasksFailed : ExitCodes.Success;
    }

    private static int PullEntries(string[] files, string device, int threads, RemoteOptions.Choice choice)
    {
        using var remote = RemoteOptions.Require(choice, "cache pull");
        var cache = Session.OpenCache();
        TorchRuntime? runtime = null;
        var plans = files.Select(file =>
        {
            var session = Session.Load(file);
            runtime ??= TorchRuntime.Start(device, threads); // timing keys hold this machine's hardware, as in 'runner run'
            return session.Plan(runtime);
        }).ToList();
        var tasks = plans.SelectMany(p => p.Tasks).DistinctBy(t => t.Key).ToList();
        int here = 0, absent = 0, refused = 0;
        foreach (var (task, i) in tasks.Select((t, i) => (t, i + 1)))
        {
            string line;
            if (cache.Find(task.Key) is not null)
            {
                here++;
                continue;
            }
            using (var keyLock = cache.TryLock(task.Key, $"cache pull of {task.Id}"))
            {
                if (keyLock is null)
                {
                    Console.WriteLine($"[{i}/{tasks.Count}] {task.Id}  a run here holds it; left to that run");
                    continue;
                }
                var fetch = remote.Fetch(task.Key, cache);
                if (fetch.Result == RemoteResult.Unavailable) return ExitCodes.TasksFailed; // reported once, on stderr
                absent += fetch.Result == RemoteResult.Absent ? 1 : 0;
                refused += fetch.Result == RemoteResult.Refused ? 1 : 0;
                line = fetch.Result switch
                {
                    RemoteResult.Transferred => $"{CacheCommand.Size(fetch.Bytes)}  fetched in {fetch.Time.TotalSeconds:0.00} s",
                    RemoteResult.Absent => "not on the remote",
                    _ => $"REFUSED: {fetch.Problem}",
                };
            }
            Console.WriteLine($"[{i}/{tasks.Count}] {task.Id}  {line}");
        }
        // Like 'cache import': the experiments' indexes name what was pulled, so 'cache gc' keeps it until a run here.
        foreach (var plan in plans)
            cache.RecordImported(plan.Experiment, plan.Tasks.Where(t => cache.Find(t.Key) is not null).ToDictionary(t => (string)t.Id, t => t.Key));
        Console.WriteLine($"{Summary(remote)} {here} were here already, {absent} are not on the remote" +
            $"{(refused > 0 ? $", {refused} refused (damaged on the remote; a run recomputes them)" : "")}.");
        return refused > 0 ? ExitCodes.TasksFailed : ExitCodes.Success;
    }

    public static int ListRemote(string? url)
    {
        using var remote = RemoteOptions.Require(new RemoteOptions.Choice(url, false), "cache ls --remote");
        var entries = remote.List();
        if (entries is null) return ExitCodes.TasksFailed; // reported once, on stderr
        var cache = Session.OpenCache();
        var width = Math.Max(4, entries.Select(e => e.Manifest?.TaskId.Length ?? 0).DefaultIfEmpty(0).Max());
        Console.WriteLine($"{"KEY",-12}  {"TASK".PadRight(width)}  {"SIZE",10}  {"AGE",5}  HERE");
        foreach (var (key, manifest) in entries)
            Console.WriteLine(manifest is null
                ? $"{key[..Math.Min(12, key.Length)],-12}  {"(unreadable manifest)".PadRight(width)}"
                : $"{key[..12]}  {manifest.TaskId.PadRight(width)}  {CacheCommand.Size(manifest.Files.Sum(f => f.Size)),10}  " +
                  $"{CacheCommand.Age(manifest.Created),5}  {(cache.Find(key) is null ? "-" : "yes")}");
        var bytes = entries.Sum(e => e.Manifest?.Files.Sum(f => f.Size) ?? 0);
        Console.WriteLine($"{entries.Count} entries, {CacheCommand.Size(bytes)} on {remote.Name}.");
        return ExitCodes.Success;
    }

    /// <summary>What a command moved through the remote: entries, bytes, time and rate each way.</summary>
    public static string Summary(S3RemoteCache remote)
    {
        static string Way(RemoteTally t, string verb) => t.Entries == 0 ? $"0 {verb}" :
            $"{t.Entries} {verb} ({CacheCommand.Size(t.Bytes)} in {t.Time.TotalSeconds:0.00} s, " +
            $"{t.Bytes / Math.Max(t.Time.TotalSeconds, 1e-3) / (1 << 20):0.0} MiB/s)";
        return $"Remote cache {remote.Name}: {Way(remote.Fetched, "fetched")}, {Way(remote.Uploaded, "uploaded")}.";
    }
}
