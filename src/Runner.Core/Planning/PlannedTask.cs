using System.Text.Json.Nodes;
using Runner.Core.Execution;

namespace Runner.Core.Planning;

/// <summary>
/// One node of the task graph. <see cref="Parameters"/> is the task kind's typed parameters record: everything its
/// executor reads, and (serialised as <see cref="Params"/>) part of <see cref="Key"/> = SHA-256 of the canonical JSON of
/// {kind, kind revision, params, dependency keys}: equal inputs, equal key.
/// </summary>
public sealed record PlannedTask(TaskId Id, object Parameters, IReadOnlyList<string> DependsOn, string Key)
{
    public string Kind => Id.Kind;

    /// <summary>The task's kind, which planned it.</summary>
    public required ITaskKind Descriptor { get; init; }

    /// <summary>The backbone or ensemble the task is about; null for <c>data</c> and <c>report</c>.</summary>
    public string? Subject => Id.Subject;

    /// <summary><see cref="Parameters"/> as it enters the key (<see cref="TaskParams.ToJson"/>).</summary>
    public JsonObject Params { get; } = TaskParams.ToJson(Parameters);

    /// <summary>What the task occupies while it runs (from its kind).</summary>
    public ResourceClass Resource => Descriptor.Resource;

    public override string ToString() => $"{Id} [{Key[..12]}]";
}
