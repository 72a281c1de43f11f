using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Runner.Torch.Weights;

/// <summary>An initializer or constant: its dims, element type and data (FLOAT data is decoded; others kept raw).</summary>
internal sealed class OnnxTensor
{
    private readonly ReadOnlyMemory<byte> _raw;
    private readonly float[]? _floats;

    internal OnnxTensor(string name, long[] dims, OnnxDataType dataType, ReadOnlyMemory<byte> raw, float[]? floats)
    {
        Name = name;
        Dims = dims;
        DataType = dataType;
        _raw = raw;
        _floats = floats;
    }

    public string Name { get; }
    public long[] Dims { get; }
    public OnnxDataType DataType { get; }
    /// <summary>
    /// The product of <see cref="Dims"/>; <see cref="InvalidDataException"/> for a negative dimension or a product past
    /// <see cref="long.MaxValue"/>.
    /// </summary>
    public long ElementCount
    {
        get
        {
            var count = Dims.Aggregate(System.Numerics.BigInteger.One, (a, d) => a * d);
            return Dims.All(d => d >= 0) && count <= long.MaxValue
                ? (long)count
                : throw new InvalidDataException($"ONNX tensor '{Name}' has dims [{string.Join(", ", Dims)}], which no tensor can have");
        }
    }

    /// <summary>The values of a FLOAT tensor, from <c>raw_data</c> (little-endian) or <c>float_data</c>.</summary>
    public float[] ToFloatArray()
    {
        if (DataType != OnnxDataType.Float)
            throw new InvalidDataException($"ONNX tensor '{Name}' is {DataType}, not FLOAT");
        float[] values;
        if (_raw.Length > 0)
        {
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw_data needs a little-endian machine");
            values = MemoryMarshal.Cast<byte, float>(_raw.Span).ToArray();
        }
        else
        {
            values = _floats ?? [];
        }
        if (values.LongLength != ElementCount)
            throw new InvalidDataException(
                $"ONNX tensor '{Name}' has {values.LongLength} values for dims [{string.Join(", ", Dims)}] ({ElementCount} expected)");
        return values;
    }

    /// <summary>The undecoded <c>raw_data</c> bytes (empty when the values are in a typed field).</summary>
    public ReadOnlyMemory<byte> RawData => _raw;

    /// <summary>A new CPU float32 tensor with this tensor's dims and values (caller disposes).</summary>
    public Tensor ToTorch() => tensor(ToFloatArray(), Dims);
}
