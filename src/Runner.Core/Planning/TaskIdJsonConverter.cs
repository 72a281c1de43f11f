using System.Text.Json;
using System.Text.Json.Serialization;

namespace Runner.Core.Planning;

/// <summary>A <see cref="TaskId"/> in JSON is its text form.</summary>
internal sealed class TaskIdJsonConverter : JsonConverter<TaskId>
{
    public override TaskId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TaskId.Parse(reader.GetString() ?? throw new JsonException("a task id must be a string"));

    public override void Write(Utf8JsonWriter writer, TaskId value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
