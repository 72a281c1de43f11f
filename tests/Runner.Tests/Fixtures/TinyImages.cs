using OpenCvSharp;
using Runner.Core.Data;
using Runner.Torch.Data;
using Runner.Torch.Models;

namespace Runner.Tests.Fixtures;

/// <summary>
/// A temporary two-class folder dataset of small PNGs (odd sizes, so decoding resizes) with its manifest, and a
/// private cache folder for <see cref="DecodedImages"/>.
/// </summary>
public sealed class TinyImages : IDisposable
{
    public TinyImages(int perClass = 10, int width = 21, int height = 13, int seed = 1)
    {
        WeightsTestSupport.EnsureTorch();
        Root = Directory.CreateTempSubdirectory("runner-loader-").FullName;
        var items = new List<DatasetItem>();
        var random = new Random(seed);
        foreach (var (name, label) in new[] { ("cat", 0), ("dog", 1) })
        {
            Directory.CreateDirectory(Path.Combine(Root, "data", name));
            for (var i = 0; i < perClass; i++)
            {
                var file = $"{name}/{name}-{i:D3}.png";
                TestImages.RandomPixels(Path.Combine(Root, "data", file), width, height, random);
                items.Add(new DatasetItem(file, file, label, Splits.Train));
            }
        }
        Manifest = new SplitManifest("folder", Path.Combine(Root, "data"), ["cat", "dog"], items,
            new Dictionary<string, IReadOnlyDictionary<string, int>>());
    }

    public string Root { get; }
    public string CacheDirectory => Path.Combine(Root, "images");
    public SplitManifest Manifest { get; }
    public IReadOnlyList<DatasetItem> Items => Manifest.Items;

    public DecodedImages Open(int size, int workers = 2) => DecodedImages.Open(Manifest, size, CacheDirectory, workers);

    public string CacheFile(int size) => DecodedImages.FilePath(Path.GetFullPath(CacheDirectory), Manifest, size, out _);

    /// <summary>What the old in-memory path produced for one item: OpenCV decode, then <see cref="DecodedImages.ToRgbBytes"/>.</summary>
    public byte[] Reference(DatasetItem item, int size)
    {
        using var bgr = Cv2.ImRead(Path.Combine(Manifest.Root, item.File), ImreadModes.Color);
        return DecodedImages.ToRgbBytes(bgr, size);
    }

    public static Batches BatchesOver(DecodedImages images, int workers, int? capacity = null) =>
        new(images, Normalization.ImageNet) { Workers = workers, Capacity = capacity };

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
