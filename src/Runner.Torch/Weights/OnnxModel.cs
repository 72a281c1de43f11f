using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Runner.Torch.Weights;

/// <summary>
/// The parts of an ONNX file (a protobuf <c>ModelProto</c>) that weight loading needs: the main graph's nodes,
/// initializers (plus <c>Constant</c> node values) and input/output names. Unknown fields are skipped.
/// Field numbers follow onnx/onnx.proto.
/// </summary>
internal sealed class OnnxModel
{
    private OnnxModel(
        long irVersion, string producerName, string producerVersion, IReadOnlyDictionary<string, long> opsets, string graphName,
        IReadOnlyList<OnnxNode> nodes, IReadOnlyDictionary<string, OnnxTensor> initializers,
        IReadOnlyList<string> inputs, IReadOnlyList<string> outputs)
    {
        IrVersion = irVersion;
        ProducerName = producerName;
        ProducerVersion = producerVersion;
        Opsets = opsets;
        GraphName = graphName;
        Nodes = nodes;
        Initializers = initializers;
        Inputs = inputs;
        Outputs = outputs;
    }

    public long IrVersion { get; }
    public string ProducerName { get; }
    public string ProducerVersion { get; }
    /// <summary>Opset version per domain ("" is the default ai.onnx domain).</summary>
    public IReadOnlyDictionary<string, long> Opsets { get; }
    public string GraphName { get; }
    public IReadOnlyList<OnnxNode> Nodes { get; }
    /// <summary>Graph initializers by name, in file order.</summary>
    public IReadOnlyDictionary<string, OnnxTensor> Initializers { get; }
    /// <summary>Graph input names (which may include initializers, as older IR versions require).</summary>
    public IReadOnlyList<string> Inputs { get; }
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>Graph inputs that are not initializers: what a caller must feed.</summary>
    public IEnumerable<string> DataInputs => Inputs.Where(i => !Initializers.ContainsKey(i));

    /// <summary>A constant value by name: an initializer, or the <c>value</c> of a <c>Constant</c> node.</summary>
    public OnnxTensor? Constant(string name)
    {
        if (Initializers.TryGetValue(name, out var t)) return t;
        var node = Nodes.FirstOrDefault(n => n.OpType == "Constant" && n.Outputs.Count > 0 && n.Outputs[0] == name);
        return node is not null && node.Attributes.TryGetValue("value", out var a) ? a.Tensor : null;
    }

    /// <summary>The nodes whose inputs include <paramref name="value"/>.</summary>
    public IEnumerable<OnnxNode> Consumers(string value) => Nodes.Where(n => n.Inputs.Contains(value));

    public static OnnxModel Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            return Parse(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path} is not a readable ONNX model: {e.Message}", e);
        }
    }

    /// <summary>Decodes a serialised <c>ModelProto</c>; <see cref="InvalidDataException"/> if it is not one.</summary>
    public static OnnxModel Parse(byte[] bytes)
    {
        if (!HasModelHeader(bytes, bytes.Length, requireGraph: true))
            throw new InvalidDataException("not an ONNX ModelProto (expected ir_version and a graph at the top level)");
        try
        {
            return ParseModel(new Wire(bytes, 0, bytes.Length));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"corrupt ONNX protobuf ({e.Message})", e);
        }
    }

    /// <summary>
    /// Content sniffing without reading the whole file: ONNX has no magic bytes, so the file's first fields must
    /// decode as a ModelProto (ir_version first, as every exporter writes it, then only ModelProto fields with their
    /// wire types) up to the start of the graph.
    /// </summary>
    public static bool LooksLikeOnnx(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var header = new byte[Math.Min(stream.Length, 1 << 16)];
            stream.ReadExactly(header);
            return HasModelHeader(header, stream.Length, requireGraph: false);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    // ModelProto fields: number → wire type (0 varint, 2 length-delimited). Later fields are tolerated by the sniffer.
    private static readonly Dictionary<int, int> ModelFields = new()
    {
        [1] = 0, [2] = 2, [3] = 2, [4] = 2, [5] = 0, [6] = 2, [7] = 2, [8] = 2, [14] = 2, [20] = 2, [25] = 2,
    };

    /// <summary>
    /// Walks top-level fields of <paramref name="header"/> (the first bytes of a file of <paramref name="fileLength"/>
    /// bytes) with a hand-rolled varint reader, so that arbitrary bytes never throw.
    /// </summary>
    private static bool HasModelHeader(byte[] header, long fileLength, bool requireGraph)
    {
        long pos = 0;
        bool first = true;
        while (pos < header.Length)
        {
            if (!TryVarint(header, ref pos, out var tag) || tag > int.MaxValue) return false;
            int field = (int)(tag >> 3), wire = (int)(tag & 7);
            if (ModelFields.TryGetValue(field, out var expectedWire) ? expectedWire != wire : field > 64 || wire is not (0 or 2))
                return false; // a known field with the wrong wire type, or nothing a ModelProto could hold
            if (first)
            {
                // ir_version first, a plausible value (IR versions are small integers).
                if (field != 1 || !TryVarint(header, ref pos, out var ir) || ir is < 1 or > 64) return false;
                first = false;
                continue;
            }
            if (!TryVarint(header, ref pos, out var value)) return false;
            if (wire == 0) continue;
            if (value > (ulong)(fileLength - pos)) return false; // length past the end of the file
            if (field == 7) return true;                         // the graph: what follows is GraphProto
            pos += (long)value;
        }
        // Ran out of header before reaching the graph: plausible for sniffing, not for a whole file.
        return !first && !requireGraph && pos >= header.Length && header.Length < fileLength;
    }

    private static bool TryVarint(byte[] buffer, ref long pos, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= buffer.Length) return false;
            byte b = buffer[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }

    private static OnnxModel ParseModel(Wire wire)
    {
        long ir = 0;
        string producer = "", producerVersion = "";
        var opsets = new Dictionary<string, long>();
        Wire? graph = null;
        var input = wire.Input;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when IsVarint(tag): ir = input.ReadInt64(); break;
                case 2 when IsBytes(tag): producer = input.ReadString(); break;
                case 3 when IsBytes(tag): producerVersion = input.ReadString(); break;
                case 7 when IsBytes(tag): graph = wire.Message(); break;
                case 8 when IsBytes(tag):
                {
                    var (domain, version) = ParseOpset(wire.Message());
                    opsets[domain] = version;
                    break;
                }
                default: input.SkipLastField(); break;
            }
        }
        if (graph is null) throw new InvalidDataException("the ModelProto has no graph");
        return ParseGraph(graph, ir, producer, producerVersion, opsets);
    }

    private static (string Domain, long Version) ParseOpset(Wire wire)
    {
        string domain = "";
        long version = 0;
        var input = wire.Input;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when IsBytes(tag): domain = input.ReadString(); break;
                case 2 when IsVarint(tag): version = input.ReadInt64(); break;
                default: input.SkipLastField(); break;
            }
        }
        return (domain == "ai.onnx" ? "" : domain, version);
    }

    private static OnnxModel ParseGraph(
        Wire wire, long ir, string producer, string producerVersion, Dictionary<string, long> opsets)
    {
        string name = "";
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxTensor>();
        var inputs = new List<string>();
        var outputs = new List<string>();
        var input = wire.Input;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when IsBytes(tag): nodes.Add(ParseNode(wire.Message())); break;
                case 2 when IsBytes(tag): name = input.ReadString(); break;
                case 5 when IsBytes(tag):
                {
                    var t = ParseTensor(wire.Message());
                    if (!initializers.TryAdd(t.Name, t)) throw new InvalidDataException($"initializer '{t.Name}' appears twice");
                    break;
                }
                case 11 when IsBytes(tag): inputs.Add(ParseValueInfoName(wire.Message())); break;
                case 12 when IsBytes(tag): outputs.Add(ParseValueInfoName(wire.Message())); break;
                default: input.SkipLastField(); break;
            }
        }
        return new OnnxModel(ir, producer, producerVersion, opsets, name, nodes, initializers, inputs, outputs);
    }

    private static string ParseValueInfoName(Wire wire)
    {
        string name = "";
        var input = wire.Input;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1 && IsBytes(tag)) name = input.ReadString();
            else input.SkipLastField();
        }
        return name;
    }

    private static OnnxNode ParseNode(Wire wire)
    {
        string name = "", opType = "", domain = "";
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, OnnxAttribute>();
        var input = wire.Input;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when IsBytes(tag): inputs.Add(input.ReadString()); break;
                case 2 when IsBytes(tag): outputs.Add(input.ReadString()); break;
                case 3 when IsBytes(tag): name = input.ReadString(); break;
                case 4 when IsBytes(tag): opType = input.ReadString(); break;
                case 5 when IsBytes(tag):
                {
                    var a = ParseAttribute(wire.Message());
                    attributes[a.Name] = a;
                    break;
                }
                case 7 when IsBytes(tag): domain = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        if (opType.Length == 0) throw new InvalidDataException($"node '{name}' has no op_type");
        return new OnnxNode(name, opType, domain, inputs, outputs, attributes);
    }

    private static OnnxAttribute ParseAttribute(Wire wire)
    {
        string name = "";
        long? i = null;
        float? f = null;
        string? s = null;
        OnnxTensor? t = null;
        var ints = new List<long>();
        var floats = new List<float>();
        var input = wire.Input;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when IsBytes(tag): name = input.ReadString(); break;
                case 2 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Fixed32: f = input.ReadFloat(); break;
                case 3 when IsVarint(tag): i = input.ReadInt64(); break;
                case 4 when IsBytes(tag): s = input.ReadString(); break;
                case 5 when IsBytes(tag): t = ParseTensor(wire.Message()); break;
                case 7: ReadFloats(wire, tag, floats); break;
                case 8: ReadInt64s(wire, tag, ints); break;
                default: input.SkipLastField(); break;
            }
        }
        return new OnnxAttribute(name, i, f, s, ints, floats, t);
    }

    private static OnnxTensor ParseTensor(Wire wire)
    {
        string name = "";
        var dims = new List<long>();
        int dataType = 0;
        long dataLocation = 0;
        ReadOnlyMemory<byte> raw = default;
        List<float>? floats = null;
        var input = wire.Input;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: ReadInt64s(wire, tag, dims); break;
                case 2 when IsVarint(tag): dataType = input.ReadInt32(); break;
                case 4: ReadFloats(wire, tag, floats ??= []); break;
                case 8 when IsBytes(tag): name = input.ReadString(); break;
                case 9 when IsBytes(tag): raw = wire.Payload(); break;
                case 14 when IsVarint(tag): dataLocation = input.ReadInt64(); break;
                default: input.SkipLastField(); break;
            }
        }
        if (dataLocation == 1)
            throw new InvalidDataException($"tensor '{name}' keeps its data in an external file, which is not supported");
        return new OnnxTensor(name, [.. dims], (OnnxDataType)dataType, raw, floats?.ToArray());
    }

    private static void ReadInt64s(Wire wire, uint tag, List<long> into)
    {
        var input = wire.Input;
        if (IsVarint(tag)) { into.Add(input.ReadInt64()); return; }
        if (!IsBytes(tag)) { input.SkipLastField(); return; }
        var packed = wire.Message().Input;
        while (!packed.IsAtEnd) into.Add(packed.ReadInt64());
    }

    private static void ReadFloats(Wire wire, uint tag, List<float> into)
    {
        var input = wire.Input;
        if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.Fixed32) { into.Add(input.ReadFloat()); return; }
        if (!IsBytes(tag)) { input.SkipLastField(); return; }
        var packed = wire.Payload();
        if (packed.Length % 4 != 0) throw new InvalidDataException("packed float field with a length not divisible by 4");
        into.AddRange(MemoryMarshal.Cast<byte, float>(packed.Span).ToArray());
    }

    /// <summary>
    /// A CodedInputStream over part of the file's bytes that can hand out embedded messages and byte fields as
    /// ranges of the same array, so that a 60 MB graph is never copied field by field.
    /// </summary>
    private sealed class Wire
    {
        private readonly byte[] _buffer;
        private readonly int _offset;
        private readonly long _origin;

        public Wire(byte[] buffer, int offset, int length)
        {
            _buffer = buffer;
            _offset = offset;
            Input = new CodedInputStream(buffer, offset, length);
            _origin = Input.Position;
        }

        public CodedInputStream Input { get; }

        private int Absolute => checked(_offset + (int)(Input.Position - _origin));

        /// <summary>The bytes of the length-delimited field whose tag was just read; the stream moves past them.</summary>
        public ReadOnlyMemory<byte> Payload()
        {
            int start = Absolute;
            Input.SkipLastField(); // reads the length prefix and skips that many bytes, or throws if they run past the end
            int end = Absolute;
            int length = new CodedInputStream(_buffer, start, end - start).ReadLength();
            return new ReadOnlyMemory<byte>(_buffer, end - length, length);
        }

        /// <summary>A reader over the embedded message whose tag was just read.</summary>
        public Wire Message()
        {
            var payload = Payload();
            return MemoryMarshal.TryGetArray(payload, out var segment)
                ? new Wire(segment.Array!, segment.Offset, segment.Count)
                : throw new InvalidOperationException("payload is not array-backed");
        }
    }

    private static bool IsVarint(uint tag) => WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint;
    private static bool IsBytes(uint tag) => WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited;
}
