using System.Collections.Concurrent;
using System.Numerics;
using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Torch.Weights;

/// <summary>
/// Checks what a weight file declares (each tensor's name, shape and element type) against the architecture before any
/// tensor is read or built: the same strict comparison an import makes afterwards (<see cref="WeightsImport.Compare"/>),
/// element types that do not cross between integers and floating point, and heads of at most
/// <see cref="MaxHeadOutputs"/> outputs. A file that passes holds no more elements than the architecture, so reading
/// it takes memory of the order of the model's own; one that fails has allocated nothing.
/// </summary>
internal static class WeightsScreen
{
    /// <summary>The most classes a file's head may have (ImageNet-21k has 21,843): bounds the one shape the architecture leaves open.</summary>
    public const int MaxHeadOutputs = 100_000;

    private static readonly ConcurrentDictionary<string, Dictionary<string, TensorInfo>> Architectures = new();

    /// <summary>
    /// Throws <see cref="WeightsMismatchException"/> or <see cref="WeightsFormatException"/> when <paramref name="file"/> cannot fit
    /// <paramref name="arch"/>.
    /// </summary>
    public static void Check(IReadOnlyDictionary<string, TensorInfo> file, ArchDefinition arch, string source)
    {
        foreach (var (key, info) in file)
        {
            var shape = $"{source}: tensor '{key}' has the shape [{string.Join(", ", info.Shape)}]";
            if (info.Shape.Any(d => d < 0)) throw new WeightsFormatException($"{shape}, with a negative dimension");
            if (info.Shape.Aggregate(BigInteger.One, (n, d) => n * d) > long.MaxValue)
                throw new WeightsFormatException($"{shape}, more elements than any tensor can hold");
        }
        (file, _) = WeightsImport.CurrentNames(file, arch, source);
        var fileShapes = file.ToDictionary(e => e.Key, e => e.Value.Shape, StringComparer.Ordinal);
        var (outputs, headPresent) = WeightsImport.InferHead(fileShapes, arch, source);
        var expected = Expected(arch, outputs, arch.SizedWeights?.ImageSizeOf(fileShapes));
        var comparison = WeightsImport.Compare(expected.ToDictionary(e => e.Key, e => e.Value.Shape), fileShapes, arch, headPresent);
        if (!comparison.Matches) throw WeightsImport.Mismatch(comparison, source, arch, outputs);
        foreach (var (key, info) in file)
            if (IsFloating(info.Type) != IsFloating(expected[key].Type))
                throw new WeightsFormatException(
                    $"{source}: tensor '{key}' is {info.Type}, where {arch.Name} has {expected[key].Type}; runner does not convert between " +
                    "integer and floating-point weights (was the file saved from another kind of tensor?)");
    }

    /// <summary>
    /// The most a download of weights for <paramref name="arch"/> may be: 16 bytes per element of the architecture (a
    /// float64 state_dict twice over, or float32 weights with Adam's two moments in a training checkpoint) plus 256 MiB
    /// for a head of many classes and the file's own structure.
    /// </summary>
    public static long MaxDownloadBytes(ArchDefinition arch) =>
        16 * Built(arch, null).Values.Sum(t => t.Shape.Aggregate(1L, (n, d) => n * d)) + 256L * 1024 * 1024;

    /// <summary>
    /// The architecture's state_dict with a head of <paramref name="outputs"/>, for the image size the file's shapes say
    /// where they depend on it (ViT; null: the default): built once with one output, the head's output dimension then set.
    /// </summary>
    private static Dictionary<string, TensorInfo> Expected(ArchDefinition arch, int outputs, int? imageSize) =>
        Built(arch, imageSize).ToDictionary(
            e => e.Key,
            e => arch.IsHeadKey(e.Key) && e.Value.Shape is [1, ..] ? e.Value with { Shape = [outputs, .. e.Value.Shape[1..]] } : e.Value,
            StringComparer.Ordinal);

    private static Dictionary<string, TensorInfo> Built(ArchDefinition arch, int? imageSize) =>
        Architectures.GetOrAdd($"{arch.Name}@{imageSize ?? arch.DefaultImageSize}", _ =>
        {
            using var noGrad = no_grad();
            using var module = arch.Create(1, imageSize);
            return module.state_dict().ToDictionary(e => e.Key, e => new TensorInfo(e.Value.shape, e.Value.dtype), StringComparer.Ordinal);
        });

    private static bool IsFloating(ScalarType type) => is_floating_point(type);
}
