using OpenCvSharp;
using Runner.Core.Config;
using Runner.Core.Data;

namespace Runner.Torch.Data;

/// <summary>
/// What a backbone's training sees: training-split images decoded at its image size and passed through its
/// augmentation list, laid out by <see cref="PreviewGrid"/> (<c>runner data preview</c>).
/// </summary>
public static class AugmentPreview
{
    /// <summary>The rendered grid (BGR), the items it shows, and files passed over because they could not be decoded.</summary>
    public sealed record Result(Mat Grid, IReadOnlyList<DatasetItem> Items, int TrainImages, IReadOnlyList<string> Unreadable) : IDisposable
    {
        public void Dispose() => Grid.Dispose();
    }

    /// <summary>
    /// Lists the dataset and assigns splits as the data task does, picks <paramref name="count"/> training images
    /// (classes interleaved), decodes and augments them; every random choice comes from <paramref name="seed"/>.
    /// Files that cannot be decoded are passed over (and listed in the result); an empty train split, or no readable
    /// image at all, raises <see cref="InvalidDataException"/>.
    /// </summary>
    public static Result Render(DatasetSpec dataset, BackboneSpec backbone, int count, int seed)
    {
        var listing = DatasetScanner.List(dataset);
        var train = Splitter.Assign(listing.Items, dataset.Split).Where(i => i.Split == Splits.Train).ToList();
        if (train.Count == 0) throw new InvalidDataException($"{dataset.Path}: the train split has no images");

        var random = new Random(seed);
        var candidates = Pick(train, train.Count, random);
        var root = listing.Root is { Length: > 0 } r ? r : Path.GetFullPath(dataset.Path);
        var size = backbone.ImageSize;
        var idxFiles = new Dictionary<string, IdxFile>();
        var (shown, tiles, unreadable) = (new List<DatasetItem>(), new List<(byte[] Rgb, string Caption)>(), new List<string>());
        foreach (var item in candidates)
        {
            if (tiles.Count == count) break;
            byte[] rgb;
            try
            {
                using var bgr = Decode(root, item, idxFiles);
                rgb = DecodedImages.ToRgbBytes(bgr, size);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                unreadable.Add(e.Message);
                continue;
            }
            Augmenter.Apply(backbone.Augment, rgb, size, random);
            shown.Add(item);
            tiles.Add((rgb, listing.Classes[item.Label]));
        }
        if (tiles.Count == 0)
            throw new InvalidDataException($"none of the {train.Count} training images could be decoded; the first: {unreadable[0]}");
        var title = $"{backbone.Name}, augment '{backbone.AugmentName}', {size}px, seed {seed}";
        return new Result(PreviewGrid.Compose(tiles, size, title), shown, train.Count, unreadable);
    }

    /// <summary>Up to <paramref name="count"/> items: each class shuffled, then taken in turn, so every class shows.</summary>
    public static IReadOnlyList<DatasetItem> Pick(IReadOnlyList<DatasetItem> items, int count, Random random)
    {
        var queues = items.GroupBy(i => i.Label).OrderBy(g => g.Key)
            .Select(g => new Queue<DatasetItem>(Shuffled(g.ToList(), random))).ToList();
        var picked = new List<DatasetItem>();
        while (picked.Count < count && queues.Any(q => q.Count > 0))
            foreach (var queue in queues)
                if (picked.Count < count && queue.TryDequeue(out var item)) picked.Add(item);
        return picked;
    }

    private static List<T> Shuffled<T>(List<T> list, Random random)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var k = random.Next(i + 1);
            (list[i], list[k]) = (list[k], list[i]);
        }
        return list;
    }

    private static Mat Decode(string root, DatasetItem item, Dictionary<string, IdxFile> idxFiles)
    {
        var path = Path.Combine(root, item.File);
        if (item.Index is { } index)
        {
            if (!idxFiles.TryGetValue(path, out var idx)) idxFiles[path] = idx = IdxFile.Read(path);
            using var gray = Mat.FromPixelData(idx.Dimensions[1], idx.Dimensions[2], MatType.CV_8UC1, idx.Item(index).ToArray());
            var bgr = new Mat();
            Cv2.CvtColor(gray, bgr, ColorConversionCodes.GRAY2BGR);
            return bgr;
        }
        var mat = Cv2.ImRead(path, ImreadModes.Color);
        if (!mat.Empty()) return mat;
        mat.Dispose();
        throw new InvalidDataException($"{path}: not a readable image");
    }
}
