using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
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
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AugmentKinds.Polymorphism } },
    };

    public static JsonObject ToJson(object parameters) =>
        JsonSerializer.SerializeToNode(parameters, parameters.GetType(), Options) as JsonObject
        ?? throw new ArgumentException($"{parameters.GetType().Name}: task parameters must serialise to a JSON object");
}
