using Google.Protobuf;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Weights;

/// <summary>The bundled ML.NET ResNet18.onnx, parsed once for all ONNX tests, and a writer for small synthetic ONNX files.</summary>
internal static class OnnxTestModels
{
    private static readonly Lazy<OnnxModel> MlNet = new(() => OnnxModel.Load(MlNetResNetArchs.MlNetResNet18.Bundled!.FullPath));
    private static readonly Lazy<MappedResNet> Mapped = new(MapAndLoad);

    public static OnnxModel MlNetResNet18 => MlNet.Value;

    /// <summary>ResNet18.onnx mapped once, and an mlnet_resnet18 (10 classes, eval mode) with those weights loaded. Read-only: shared by tests.</summary>
    public static MappedResNet MlNetResNet18Loaded => Mapped.Value;

    public sealed record MappedResNet(
        Dictionary<string, Tensor> StateDict, nn.Module<Tensor, Tensor> Model, IList<string> Missing, IList<string> Unexpected);

    private static MappedResNet MapAndLoad()
    {
        var mapped = OnnxWeightsFormat.Map(MlNetResNet18, MlNetResNetArchs.MlNetResNet18);
        using var _ = no_grad();
        var model = MlNetResNetArchs.MlNetResNet18.Create(10);
        var (missing, unexpected) = model.load_state_dict(mapped, strict: false);
        model.eval();
        return new MappedResNet(mapped, model, missing, unexpected);
    }

    /// <summary>A minimal ModelProto: ir_version 7, opset 13, a graph with the given FLOAT initializers and one node.</summary>
    /// <remarks>Alternates raw_data/float_data and packed/unpacked dims so both encodings are read.</remarks>
    public static byte[] Synthetic(params (string Name, long[] Dims, float[] Values)[] initializers)
    {
        var graph = Message(g =>
        {
            Bytes(g, 1, Message(n =>
            {
                String(n, 1, "x");
                foreach (var i in initializers) String(n, 1, i.Name);
                String(n, 2, "y");
                String(n, 3, "node0");
                String(n, 4, "Gemm");
            }));
            String(g, 2, "synthetic");
            for (int k = 0; k < initializers.Length; k++)
            {
                var (name, dims, values) = initializers[k];
                bool packed = k % 2 == 0;
                Bytes(g, 5, Message(t =>
                {
                    if (packed)
                        Bytes(t, 1, Message(d => { foreach (var x in dims) d.WriteInt64(x); }));
                    else
                        foreach (var x in dims) { t.WriteTag(1, WireFormat.WireType.Varint); t.WriteInt64(x); }
                    t.WriteTag(2, WireFormat.WireType.Varint);
                    t.WriteInt32((int)OnnxDataType.Float);
                    if (packed)
                        Bytes(t, 4, Message(f => { foreach (var v in values) f.WriteFloat(v); }));
                    else
                        Bytes(t, 9, values.SelectMany(BitConverter.GetBytes).ToArray());
                    String(t, 8, name);
                }));
            }
            Bytes(g, 11, Message(v => String(v, 1, "x")));
            Bytes(g, 12, Message(v => String(v, 1, "y")));
        });
        return Message(m =>
        {
            m.WriteTag(1, WireFormat.WireType.Varint);
            m.WriteInt64(7);
            String(m, 2, "runner-tests");
            Bytes(m, 7, graph);
            Bytes(m, 8, Message(o => { String(o, 1, ""); o.WriteTag(2, WireFormat.WireType.Varint); o.WriteInt64(13); }));
        });
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(output);
        output.Flush();
        return stream.ToArray();
    }

    private static void Bytes(CodedOutputStream o, int field, byte[] value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(value));
    }

    private static void String(CodedOutputStream o, int field, string value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteString(value);
    }
}
