using System.Buffers.Binary;
using System.Numerics;
using System.Text.Json;
using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Torch.Weights;

/// <summary>
/// Hugging Face <c>.safetensors</c> files: an 8-byte little-endian header length, a JSON header naming each tensor's
/// dtype, shape and byte range, then the raw tensors. The header is read and checked alone (ranges inside the file and
/// as long as the shape says, names and shapes against the architecture: <see cref="WeightsScreen"/>) before any
/// tensor is read; a DataParallel <c>module.</c> prefix is stripped.
/// </summary>
public sealed class SafetensorsWeightsFormat : IWeightsFormat
{
    /// <summary>The largest header read: a backbone's takes a few KiB (a large language model's a few MiB).</summary>
    private const long MaxHeaderBytes = 16L * 1024 * 1024;

    private static readonly Dictionary<string, (ScalarType Type, int Size)> DataTypes = new(StringComparer.Ordinal)
    {
        ["F64"] = (ScalarType.Float64, 8), ["F32"] = (ScalarType.Float32, 4), ["F16"] = (ScalarType.Float16, 2),
        ["BF16"] = (ScalarType.BFloat16, 2), ["I64"] = (ScalarType.Int64, 8), ["I32"] = (ScalarType.Int32, 4),
        ["I16"] = (ScalarType.Int16, 2), ["I8"] = (ScalarType.Int8, 1), ["U8"] = (ScalarType.Byte, 1), ["BOOL"] = (ScalarType.Bool, 1),
    };

    public string Name => "safetensors";

    public bool Accepts(string path)
    {
        var head = PyTorchWeightsFormat.ReadHead(path, 9);
        if (head.Length < 9 || head[8] != (byte)'{') return false;
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(head);
        return headerLength >= 2 && headerLength <= MaxHeaderBytes && (long)headerLength <= new FileInfo(path).Length - 8;
    }

    public Dictionary<string, Tensor> Read(string path, ArchDefinition arch)
    {
        if (!Accepts(path))
            throw new WeightsFormatException($"{path} is not a safetensors file (no valid header of at most {MaxHeaderBytes:N0} bytes)");
        using var file = File.OpenHandle(path);
        var entries = StateDicts.StripCommonPrefix(Header(file, path));
        WeightsScreen.Check(entries.ToDictionary(e => e.Key, e => e.Value.Info), arch, path);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, entry) in entries)
            {
                if (entry.Length > Array.MaxLength)
                    throw new WeightsFormatException($"{path}: tensor '{name}' is {entry.Length:N0} bytes, more than runner reads in one piece");
                var bytes = new byte[entry.Length];
                RandomAccess.Read(file, bytes, entry.Offset);
                var tensor = empty(entry.Info.Shape, entry.Info.Type);
                tensors[name] = tensor;
                if (bytes.Length > 0) tensor.bytes = bytes;
            }
            return tensors;
        }
        catch
        {
            StateDicts.Dispose(tensors.Values);
            throw;
        }
    }

    /// <summary>One tensor of the header: what it is, and where its bytes lie in the file.</summary>
    private sealed record Entry(TensorInfo Info, long Offset, long Length);

    /// <summary>
    /// The header's tensors, each checked: a known dtype, a shape of non-negative sizes, a byte range inside the data that is
    /// exactly as long as the shape says.
    /// </summary>
    private static Dictionary<string, Entry> Header(Microsoft.Win32.SafeHandles.SafeFileHandle file, string path)
    {
        var prefix = new byte[8];
        RandomAccess.Read(file, prefix, 0);
        var length = (long)BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        var json = new byte[length];
        RandomAccess.Read(file, json, 8);
        var dataStart = 8 + length;
        var dataLength = RandomAccess.GetLength(file) - dataStart;
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        try
        {
            using var header = JsonDocument.Parse(json);
            if (header.RootElement.ValueKind != JsonValueKind.Object)
                throw new WeightsFormatException($"{path}: the safetensors header is not a JSON object");
            foreach (var property in header.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__") continue;
                entries[property.Name] = Parse(property, path, dataStart, dataLength);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new WeightsFormatException($"{path}: the safetensors header is malformed ({e.Message.Split('\n')[0]})", e);
        }
        return entries;
    }

    private static Entry Parse(JsonProperty property, string path, long dataStart, long dataLength)
    {
        var name = property.Name;
        var value = property.Value;
        var dtype = value.GetProperty("dtype").GetString() ?? "";
        if (!DataTypes.TryGetValue(dtype, out var type))
            throw new WeightsFormatException(
                $"{path}: tensor '{name}' has dtype '{dtype}', which runner does not read ({string.Join(", ", DataTypes.Keys)})");
        var shape = value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        if (shape.Any(d => d < 0))
            throw new WeightsFormatException($"{path}: tensor '{name}' has the shape [{string.Join(", ", shape)}], with a negative dimension");
        var offsets = value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        if (offsets is not [var begin, var end] || begin < 0 || end < begin || end > dataLength)
            throw new WeightsFormatException(
                $"{path}: tensor '{name}' has data_offsets [{string.Join(", ", offsets)}] outside the file's {dataLength:N0} bytes of data");
        var bytes = shape.Aggregate(BigInteger.One, (n, d) => n * d) * type.Size;
        if (bytes != end - begin)
            throw new WeightsFormatException($"{path}: tensor '{name}' of shape [{string.Join(", ", shape)}] and dtype {dtype} needs " +
                $"{bytes:N0} bytes, its data_offsets give {end - begin:N0}");
        return new Entry(new TensorInfo(shape, type.Type), dataStart + begin, end - begin);
    }
}
