using System.Text.Json.Nodes;

namespace Runner.Core.Planning;

public static class TaskKinds
{
    public const string Data = "data";
    public const string Train = "train";
    public const string Eval = "eval";
    public const string Time = "time";
    /// <summary>Pooled penultimate features of one backbone on the validation and test splits (planned only for <c>inputs: features</c> ensembles).</summary>
    public const string Features = "features";
    public const string Ensemble = "ensemble";
    public const string Report = "report";
}

/// <summary>
/// One node of the task graph. <see cref="Key"/> = SHA-256 of the canonical JSON of
/// {kind, params, dependency keys, runner version}: equal inputs, equal key.
/// </summary>
public sealed record PlannedTask(string Id, string Kind, string? Backbone, JsonObject Params, IReadOnlyList<string> DependsOn, string Key)
{
    public override string ToString() => $"{Id} [{Key[..12]}]";
}

/// <summary>Tasks in a valid execution order (every task after its dependencies).</summary>
public sealed record TaskGraph(string Experiment, IReadOnlyList<PlannedTask> Tasks)
{
    public PlannedTask this[string id] => Tasks.First(t => t.Id == id);

    public IEnumerable<PlannedTask> DependentsOf(string id) => Tasks.Where(t => t.DependsOn.Contains(id));
}
