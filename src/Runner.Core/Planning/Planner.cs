using System.Text.Json.Nodes;
using Runner.Core.Config;

namespace Runner.Core.Planning;

/// <summary>Turns an experiment into a task graph with content-addressed keys. No I/O, no TorchSharp.</summary>
public static class Planner
{
    /// <summary>
    /// The version recorded in cache manifests and results. Not part of any key: a kind's <see cref="ITaskKind.Revision"/>
    /// is, so an upgrade re-runs only the kinds whose execution changed.
    /// </summary>
    public static readonly string RunnerVersion = VersionOf(typeof(Planner).Assembly.GetName().Version);

    private static string VersionOf(Version? v) => v is null ? "0.0.0" : $"{v.Major}.{v.Minor}.{v.Build}";

    /// <summary>
    /// Plans every kind in <paramref name="kinds"/>' order; a run of consecutive per-backbone kinds is planned backbone by
    /// backbone (train:a, eval:a, time:a, train:b, …).
    /// </summary>
    public static TaskGraph Plan(ExperimentSpec spec, PlanInputs inputs, IReadOnlyList<ITaskKind> kinds)
    {
        var plan = new PlanContext(spec, inputs);
        for (var i = 0; i < kinds.Count;)
        {
            if (kinds[i] is IExperimentTaskKind once)
            {
                once.Plan(plan);
                i++;
                continue;
            }
            var group = kinds.Skip(i).TakeWhile(k => k is IBackboneTaskKind).Cast<IBackboneTaskKind>().ToList();
            if (group.Count == 0) throw new ArgumentException($"task kind '{kinds[i].Name}' is neither per experiment nor per backbone");
            foreach (var backbone in spec.Backbones)
                foreach (var kind in group) kind.Plan(plan, backbone);
            i += group.Count;
        }
        return plan.ToGraph();
    }

    internal static string KeyOf(ITaskKind kind, JsonObject parameters, IEnumerable<PlannedTask> deps) =>
        CanonicalJson.Sha256(new JsonObject
        {
            ["kind"] = kind.Name,
            ["revision"] = kind.Revision,
            ["params"] = parameters.DeepClone(),
            ["deps"] = new JsonArray(deps.Select(d => (JsonNode)d.Key).ToArray()),
        });
}
