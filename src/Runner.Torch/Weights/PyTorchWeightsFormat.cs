using System.Collections;
using System.IO.Compression;
using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Torch.Weights;

/// <summary>
/// <c>torch.save</c> files (.pth, .pt, .bin, .ckpt): PyTorch's zip format (torch ≥ 1.6) and the legacy pickle format
/// (before 1.6), both read by <see cref="TorchSave"/>. Training checkpoints that wrap the
/// state_dict are unwrapped and a DataParallel <c>module.</c> prefix is stripped. TorchScript archives and pickled whole
/// models are recognised and refused with a fix.
/// </summary>
public sealed class PyTorchWeightsFormat : IWeightsFormat
{
    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];

    /// <summary>The start of a legacy torch.save file: pickle protocol 2, then LONG1 with torch's magic number 0x1950a86a20f9469cfc6c.</summary>
    private static readonly byte[] LegacyMagic = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19];

    private static readonly string[] Extensions = [".pth", ".pt", ".bin", ".ckpt", ".tar"];

    public string Name => "pytorch";

    public bool Accepts(string path)
    {
        var head = ReadHead(path, LegacyMagic.Length);
        if (StartsWith(head, LegacyMagic)) return true;
        if (!StartsWith(head, ZipMagic)) return IsLegacyPickle(head) && HasTorchExtension(path);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return zip.Entries.Any(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal));
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>
    /// The state_dict, read only after every name, shape and type the file declares fits <paramref name="arch"/>
    /// (<see cref="WeightsScreen"/>).
    /// </summary>
    public Dictionary<string, Tensor> Read(string path, ArchDefinition arch) => Read(path, root =>
    {
        var stateDict = StateDicts.Normalize<TorchSave.PendingTensor>(root, path);
        WeightsScreen.Check(stateDict.ToDictionary(e => e.Key, e => e.Value.Info), arch, path);
        return stateDict;
    });

    /// <summary>The tensors <paramref name="select"/> picks from the saved object (whose tensors are not read yet), in either format.</summary>
    internal static Dictionary<string, Tensor> Read(string path, Func<IDictionary, IReadOnlyDictionary<string, TorchSave.PendingTensor>> select)
    {
        var head = ReadHead(path, LegacyMagic.Length);
        if (StartsWith(head, LegacyMagic) || IsLegacyPickle(head))
            return TorchSave.ReadLegacy(path, select);
        if (!StartsWith(head, ZipMagic))
            throw new WeightsFormatException($"{path} is not a torch.save file (no zip signature 'PK')");

        using var stream = File.OpenRead(path);
        using var zip = OpenZip(stream, path);
        if (zip.Entries.Any(e => e.FullName.EndsWith("constants.pkl", StringComparison.Ordinal) || e.FullName.Contains("/code/", StringComparison.Ordinal)))
            throw new WeightsFormatException(
                $"{path} is a TorchScript archive (torch.jit.save), not a state_dict; in Python, save the weights with " +
                "torch.save(model.state_dict(), 'weights.pth')");
        return TorchSave.ReadZip(zip, path, select);
    }

    private static ZipArchive OpenZip(Stream stream, string path)
    {
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new WeightsFormatException($"{path}: damaged zip archive ({e.Message}); is the file complete?", e);
        }
    }

    /// <summary>A pickle stream (PROTO opcode, protocol 2–5): what a legacy torch.save produces.</summary>
    private static bool IsLegacyPickle(byte[] head) => head.Length >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5;

    private static bool HasTorchExtension(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    internal static byte[] ReadHead(string path, int count)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[count];
        var read = stream.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        return buffer[..read];
    }

    private static bool StartsWith(byte[] data, byte[] prefix) => data.Length >= prefix.Length && data.AsSpan(0, prefix.Length).SequenceEqual(prefix);
}
