namespace Runner.Torch.Weights;

/// <summary>Every weight file format runner reads, and detection by content (magic bytes first, extension as a hint).</summary>
public static class WeightsFormats
{
    /// <summary>In detection order: the first format whose <see cref="IWeightsFormat.Accepts"/> is true reads the file.</summary>
    public static IReadOnlyList<IWeightsFormat> All { get; } =
    [
        new PyTorchWeightsFormat(),
        new SafetensorsWeightsFormat(),
        new OnnxWeightsFormat(), // ONNX has no magic bytes: tried last
    ];

    public static IReadOnlyList<string> Names => All.Select(f => f.Name).ToList();

    /// <summary>The format that accepts <paramref name="path"/>; a clear <see cref="WeightsFormatException"/> when none does.</summary>
    public static IWeightsFormat Detect(string path)
    {
        if (!File.Exists(path)) throw new WeightsException($"{path}: no such file");
        if (new FileInfo(path).Length == 0) throw new WeightsFormatException($"{path} is empty");
        return All.FirstOrDefault(f => f.Accepts(path))
            ?? throw new WeightsFormatException(
                $"{path}: not a weight file runner can read (formats: {string.Join(", ", Names)}; a torch.save state_dict, " +
                "a .safetensors file or an ONNX model)");
    }

    /// <summary>The format called <paramref name="name"/> (case-insensitive), for an explicit <c>--format</c>.</summary>
    public static IWeightsFormat ByName(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new WeightsException($"unknown weights format '{name}' (known: {string.Join(", ", Names)})");
}
