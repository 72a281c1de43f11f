using System.Text.Json.Serialization;

namespace Runner.Core.Planning;

/// <summary>
/// A task's id: its kind and, for most kinds, a subject (a backbone or ensemble name), written <c>kind:subject</c>
/// (<c>train:resnet18</c>) or just <c>kind</c> (<c>data</c>, <c>report</c>). The text form is what <c>--only</c>,
/// <c>--force</c>, logs and the cache index show.
/// </summary>
[JsonConverter(typeof(TaskIdJsonConverter))]
public readonly record struct TaskId(string Kind, string? Subject = null)
{
    public override string ToString() => Subject is null ? Kind : $"{Kind}:{Subject}";

    /// <summary>The id written as <see cref="ToString"/> writes it.</summary>
    public static TaskId Parse(string text) =>
        text.IndexOf(':') is var colon and >= 0 ? new TaskId(text[..colon], text[(colon + 1)..]) : new TaskId(text);

    public static implicit operator string(TaskId id) => id.ToString();
}
