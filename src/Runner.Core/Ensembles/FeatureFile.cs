using Runner.Core.Util;

namespace Runner.Core.Ensembles;

/// <summary>
/// A <c>features</c> task's artifacts: <c>features.json</c> (the width and, per split, the image ids in row order) and
/// one <c>features-&lt;split&gt;.f32</c> per split (rows × width float32, little-endian, row-major).
/// </summary>
public sealed record FeatureFile(int Width, IReadOnlyDictionary<string, IReadOnlyList<string>> Ids)
{
    public const string FileName = "features.json";
    public static string DataFile(string split) => $"features-{split}.f32";

    public static void Write(string directory, IReadOnlyDictionary<string, (IReadOnlyList<string> Ids, float[] Values)> splits, int width)
    {
        foreach (var (split, (ids, values)) in splits)
        {
            if (values.Length != ids.Count * width)
                throw new ArgumentException($"{split}: {values.Length} values for {ids.Count} rows of width {width}");
            var bytes = new byte[values.Length * sizeof(float)];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            AtomicFile.WriteAllBytes(Path.Combine(directory, DataFile(split)), bytes);
        }
        Json.Write(Path.Combine(directory, FileName), new FeatureFile(width, splits.ToDictionary(s => s.Key, s => s.Value.Ids)));
    }

    /// <summary>One split's rows, checked against the ids the ensemble's other inputs have.</summary>
    public static double[][] Read(string directory, string split, IReadOnlyList<string> expectedIds)
    {
        var index = Json.Read<FeatureFile>(Path.Combine(directory, FileName));
        if (!index.Ids.TryGetValue(split, out var ids) || !ids.SequenceEqual(expectedIds))
            throw new InvalidDataException($"{directory}: the {split} features do not cover the images the predictions do");
        var bytes = File.ReadAllBytes(Path.Combine(directory, DataFile(split)));
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return Enumerable.Range(0, ids.Count)
            .Select(r => values.AsSpan(r * index.Width, index.Width).ToArray().Select(v => (double)v).ToArray())
            .ToArray();
    }
}
