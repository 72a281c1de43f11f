using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Runner.Core.Planning;

/// <summary>
/// JSON with object keys sorted (ordinal) and no insignificant whitespace, so equal content
/// always has equal bytes — the basis of every cache key.
/// </summary>
internal static class CanonicalJson
{
    public static string Serialize(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            Write(writer, node);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Sha256(JsonNode? node) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Serialize(node))));

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item);
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    /// <summary>Flattens to dotted paths ("optimizer.lr") with display values, for explaining what changed.</summary>
    public static SortedDictionary<string, string> Flatten(JsonNode? node)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Flatten(node, "", result);
        return result;
    }

    private static void Flatten(JsonNode? node, string prefix, SortedDictionary<string, string> into)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj) Flatten(value, prefix.Length == 0 ? key : $"{prefix}.{key}", into);
                break;
            case JsonArray array when array.All(a => a is JsonValue):
                into[prefix] = "[" + string.Join(", ", array.Select(a => a!.ToJsonString())) + "]";
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) Flatten(array[i], $"{prefix}[{i}]", into);
                break;
            case JsonValue value when value.TryGetValue<string>(out var s):
                into[prefix] = s;
                break;
            default:
                into[prefix] = node?.ToJsonString() ?? "null";
                break;
        }
    }
}
