using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Runner.Core.Config;

namespace Runner.Core.Planning;

/// <summary>
/// Serialises a task's typed parameters record for its key: every public property, snake_case, nulls kept. A property
/// marked <see cref="JsonIgnoreAttribute"/> is deliberately outside the key and says why (e.g. where the dataset lies on
/// this machine, whose contents the data key covers).
/// </summary>
internal static class TaskParams
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new AugmentOpConverter() },
    };

    public static JsonObject ToJson(object parameters) =>
        JsonSerializer.SerializeToNode(parameters, parameters.GetType(), Options) as JsonObject
        ?? throw new ArgumentException($"{parameters.GetType().Name}: task parameters must serialise to a JSON object");

    /// <summary>An augmentation step as <see cref="AugmentOp.ToJson"/> writes it (the records are polymorphic).</summary>
    private sealed class AugmentOpConverter : JsonConverter<AugmentOp>
    {
        public override bool CanConvert(Type typeToConvert) => typeof(AugmentOp).IsAssignableFrom(typeToConvert);

        public override AugmentOp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("task parameters are written, never read back");

        public override void Write(Utf8JsonWriter writer, AugmentOp value, JsonSerializerOptions options) => value.ToJson().WriteTo(writer);
    }
}
