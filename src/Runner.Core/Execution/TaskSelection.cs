using DotNet.Globbing;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;

namespace Runner.Core.Execution;

/// <summary><c>--only</c>, <c>--force</c> and <c>--shard</c>: which part of a task graph a run executes.</summary>
public static class TaskSelection
{
    /// <summary>
    /// The tasks matching any glob (e.g. <c>train:efficientnet_*</c>) and everything they need; on-demand tasks
    /// (<see cref="TaskGraph.OnDemand"/>, e.g. <c>export:*</c>) join only here, when a glob names them.
    /// </summary>
    public static TaskGraph Only(TaskGraph graph, IReadOnlyList<string> globs)
    {
        var all = graph with { Tasks = [.. graph.Tasks, .. graph.OnDemand], OnDemand = [] };
        return WithDependencies(all, Matching(all, globs, "--only"));
    }

    /// <summary>The ids of the tasks matching any glob and of everything that depends on them: their results are stale.</summary>
    public static IReadOnlySet<string> Forced(TaskGraph graph, IReadOnlyList<string> globs) =>
        WithDependents(graph, Matching(graph, globs, "--force"));

    /// <summary>The task ids and those of everything in <paramref name="graph"/> that depends on them.</summary>
    public static IReadOnlySet<string> WithDependents(TaskGraph graph, IEnumerable<string> ids)
    {
        var forced = ids.ToHashSet();
        foreach (var task in graph.Tasks) // graph order: a task's dependencies come first
            if (task.DependsOn.Any(forced.Contains)) forced.Add(task.Id);
        return forced;
    }

    /// <summary>
    /// Shard <paramref name="k"/> of <paramref name="n"/> (1-based): the graph's independent branches (what stays connected
    /// once shared roots such as <c>data</c> and the report are set aside: a backbone's train, eval and time, or the
    /// backbones an ensemble joins) dealt out in graph order, with what they need. The split depends only on the
    /// graph, never on the cache, so every runner of a matrix computes the same one. The report is left to a final job.
    /// </summary>
    public static TaskGraph Shard(TaskGraph graph, int k, int n)
    {
        if (n < 1 || k < 1 || k > n) throw new TaskSelectionException($"--shard {k}/{n}: expected K/N with 1 ≤ K ≤ N");
        if (n == 1) return graph;
        var branches = Branches(graph);
        var mine = graph.Tasks.Where(t => branches.TryGetValue(t.Id, out var b) && b % n == k - 1).Select(t => (string)t.Id).ToHashSet();
        return WithDependencies(graph, mine);
    }

    /// <summary>Branch number (0, 1, … in graph order) of every task that is neither a root nor a report.</summary>
    private static Dictionary<string, int> Branches(TaskGraph graph)
    {
        var parent = new Dictionary<string, string>();
        string Root(string id) => parent[id] == id ? id : parent[id] = Root(parent[id]);
        var members = graph.Tasks.Where(t => t.DependsOn.Count > 0 && !t.Descriptor.Gathers).ToList();
        foreach (var task in members) parent[task.Id] = task.Id;
        foreach (var task in members)
            foreach (var dep in task.DependsOn.Where(parent.ContainsKey))
                parent[Root(dep)] = Root(task.Id);
        var numbers = new Dictionary<string, int>();
        return members.ToDictionary(t => (string)t.Id, t => numbers.TryGetValue(Root(t.Id), out var b) ? b : numbers[Root(t.Id)] = numbers.Count);
    }

    private static HashSet<string> Matching(TaskGraph graph, IReadOnlyList<string> globs, string option)
    {
        var matched = new HashSet<string>();
        foreach (var pattern in globs)
        {
            var glob = Glob.Parse(pattern);
            var hits = graph.Tasks.Where(t => glob.IsMatch(t.Id)).Select(t => (string)t.Id).ToList();
            if (hits.Count == 0)
                throw new TaskSelectionException($"{option} '{pattern}' matches no task; the tasks are: {string.Join(", ", graph.Tasks.Select(t => t.Id))}");
            matched.UnionWith(hits);
        }
        return matched;
    }

    private static TaskGraph WithDependencies(TaskGraph graph, HashSet<string> selected)
    {
        foreach (var task in graph.Tasks.Reverse()) // dependents first: their dependencies join before being visited
            if (selected.Contains(task.Id)) selected.UnionWith(task.DependsOn);
        return graph with { Tasks = graph.Tasks.Where(t => selected.Contains(t.Id)).ToList() };
    }
}
