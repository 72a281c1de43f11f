using Runner.Core.Cache;

namespace Runner.Core.Planning;

/// <summary>Decides which tasks must run and says why, in words a user can act on.</summary>
public static class Staleness
{
    /// <param name="remote">The remote cache, asked about each task missing here: what it has counts as cached.</param>
    public static IReadOnlyList<PlanEntry> Explain(TaskGraph graph, CacheStore cache, IRemoteCache? remote = null)
    {
        var keys = graph.Tasks.ToDictionary(t => (string)t.Id, t => t.Key);
        return graph.Tasks.Select(task =>
        {
            if (cache.Find(task.Key) is { } entry) return new PlanEntry(task, TaskState.Cached, [], entry);
            if (remote?.Has(task.Key) == true) return new PlanEntry(task, TaskState.Cached, [], null) { OnRemote = true };
            return new PlanEntry(task, TaskState.Stale, Reasons(graph.Experiment, task, keys, cache), null);
        }).ToList();
    }

    private static IReadOnlyList<string> Reasons(string experiment, PlannedTask task, IReadOnlyDictionary<string, string> keys, CacheStore cache)
    {
        var previousKey = cache.LatestKey(experiment, task.Id);
        if (previousKey is null) return ["new: never run"];
        if (cache.Find(previousKey) is not { } previous) return ["not in cache: the previous result was removed"];

        var reasons = new List<string>();
        var before = CanonicalJson.Flatten(previous.Manifest.Params);
        var after = CanonicalJson.Flatten(task.Params);
        var changes = before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k))
            .Select(k => $"{k} {before.GetValueOrDefault(k) ?? "(unset)"} → {after.GetValueOrDefault(k) ?? "(unset)"}")
            .ToList();
        var hardware = changes.Where(c => c.StartsWith("hardware.", StringComparison.Ordinal)).ToList();
        var other = changes.Except(hardware).ToList();
        if (other.Count > 0) reasons.Add("changed: " + string.Join("; ", other));
        if (hardware.Count > 0) reasons.Add("new hardware: " + string.Join("; ", hardware.Select(h => h["hardware.".Length..])));
        if (previous.Manifest.Revision != task.Descriptor.Revision)
            reasons.Add($"changed: {task.Kind} revision " +
                $"{previous.Manifest.Revision?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"} → " +
                $"{task.Descriptor.Revision} (runner {previous.Manifest.RunnerVersion} → {Planner.RunnerVersion})");
        var changedDeps = task.DependsOn.Where(d => previous.Manifest.Deps.GetValueOrDefault(d) != keys[d]).ToList();
        if (changedDeps.Count > 0) reasons.Add("dependency changed: " + string.Join(", ", changedDeps));
        if (reasons.Count == 0) reasons.Add("not in cache");
        return reasons;
    }
}
