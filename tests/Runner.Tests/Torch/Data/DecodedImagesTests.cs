using OpenCvSharp;
using Runner.Core.Data;
using Runner.Tests.Fixtures;
using Runner.Torch.Data;

namespace Runner.Tests.Torch.Data;

/// <summary>The memory-mapped decoded-image cache: decode once, reuse across instances (processes), never trust a half-written file.</summary>
public sealed class DecodedImagesTests : IDisposable
{
    private readonly TinyImages _data = new();

    public void Dispose() => _data.Dispose();

    private void AssertPixelsMatchDecoding(DecodedImages images)
    {
        Assert.Equal(_data.Items.Count, images.Count);
        foreach (var item in _data.Items)
            Assert.True(images[item.Id].SequenceEqual(_data.Reference(item, images.Size)), $"pixels of {item.Id}");
    }

    [Fact]
    public void First_use_decodes_every_image_and_a_new_instance_decodes_none()
    {
        using (var first = _data.Open(16))
        {
            Assert.Equal(_data.Items.Count, first.Decoded);
            Assert.True(first.FillTime > TimeSpan.Zero);
            AssertPixelsMatchDecoding(first);
        }
        // A new instance is what a new process (or eval after train) sees: everything comes from the file.
        using var second = _data.Open(16, workers: 1);
        Assert.Equal(0, second.Decoded);
        Assert.Equal(TimeSpan.Zero, second.FillTime);
        AssertPixelsMatchDecoding(second);
        Assert.Equal((long)_data.Items.Count * 16 * 16 * 3, new FileInfo(second.Path).Length);
    }

    [Fact]
    public void Slots_follow_the_manifest_and_the_cache_is_the_same_for_any_worker_count()
    {
        using var one = DecodedImages.Open(_data.Manifest, 12, Path.Combine(_data.Root, "one"), workers: 1);
        using var four = DecodedImages.Open(_data.Manifest, 12, Path.Combine(_data.Root, "four"), workers: 4);
        Assert.Equal(File.ReadAllBytes(one.Path), File.ReadAllBytes(four.Path));
        for (var i = 0; i < _data.Items.Count; i++) Assert.Equal(i, one.SlotOf(_data.Items[i].Id));
        Assert.Throws<KeyNotFoundException>(() => one.SlotOf("nope.png"));
    }

    [Fact]
    public void A_damaged_cache_file_is_caught_by_its_chunk_hashes_and_decoded_again()
    {
        string path;
        using (var first = _data.Open(16)) path = first.Path;
        // Bit rot or a stray write: one byte of one image changes while the marker, index and length stay as they were.
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = 16 * 16 * 3 + 100;
            var b = stream.ReadByte();
            stream.Position--;
            stream.WriteByte((byte)(b ^ 0xFF));
        }

        using var reopened = _data.Open(16);
        Assert.Equal(_data.Items.Count, reopened.Decoded);
        AssertPixelsMatchDecoding(reopened);
        using var again = _data.Open(16);
        Assert.Equal(0, again.Decoded);
    }

    [Fact]
    public void A_fill_stops_when_cancelled_and_leaves_no_trusted_cache()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => DecodedImages.Open(_data.Manifest, 16, _data.CacheDirectory, cancel: cancelled.Token));
        Assert.False(File.Exists(Path.ChangeExtension(_data.CacheFile(16), ".complete")));
        using var filled = _data.Open(16);
        Assert.Equal(_data.Items.Count, filled.Decoded);
    }

    [Fact]
    public void A_cache_without_its_complete_marker_is_rebuilt()
    {
        string path;
        using (var first = _data.Open(16)) path = first.Path;
        // What a process killed mid-fill could leave behind: data and index present, garbage pixels, no marker.
        File.Delete(Path.ChangeExtension(path, ".complete"));
        File.WriteAllBytes(path, new byte[new FileInfo(path).Length]);

        using var rebuilt = _data.Open(16);
        Assert.Equal(_data.Items.Count, rebuilt.Decoded);
        AssertPixelsMatchDecoding(rebuilt);
        Assert.True(File.Exists(Path.ChangeExtension(path, ".complete")));
    }

    [Fact]
    public void A_marked_cache_of_the_wrong_length_is_rebuilt()
    {
        string path;
        using (var first = _data.Open(16)) path = first.Path;
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(stream.Length / 2);

        using var rebuilt = _data.Open(16);
        Assert.Equal(_data.Items.Count, rebuilt.Decoded);
        AssertPixelsMatchDecoding(rebuilt);
    }

    [Fact]
    public void A_failed_fill_leaves_nothing_trusted_and_no_temporary_files()
    {
        File.WriteAllText(Path.Combine(_data.Manifest.Root, _data.Items[3].File), "not an image");
        Assert.Throws<InvalidDataException>(() => _data.Open(16));
        var left = Directory.Exists(_data.CacheDirectory) ? Directory.GetFiles(_data.CacheDirectory) : [];
        Assert.Empty(left);
    }

    [Fact]
    public void Images_can_be_read_while_the_cache_fills_and_the_fill_still_completes()
    {
        using (var filling = DecodedImages.Begin(_data.Manifest, 16, _data.CacheDirectory, workers: 1))
        {
            // Four readers at once, from the end: most of these images are not decoded yet, some are being decoded.
            Parallel.For(0, 4, _ =>
            {
                foreach (var item in _data.Items.Reverse())
                    Assert.True(filling[item.Id].SequenceEqual(_data.Reference(item, 16)), $"pixels of {item.Id}");
            });
            filling.WaitComplete();
            Assert.Equal(_data.Items.Count, filling.Decoded);
            Assert.True(File.Exists(Path.ChangeExtension(filling.Path, ".complete")));
            AssertPixelsMatchDecoding(filling);
        }
        using var next = _data.Open(16);
        Assert.Equal(0, next.Decoded);
        AssertPixelsMatchDecoding(next);
    }

    [Fact]
    public void A_run_that_waits_for_its_fills_leaves_the_cache_complete_for_the_next_run()
    {
        using var larger = new TinyImages(perClass: 60, width: 120, height: 90);
        var images = DecodedImages.For(larger.Manifest, 24, workers: 1); // returns while the fill runs, as in a train task
        DecodedImages.WaitForFills(TextWriter.Null); // what `runner run` does before it exits
        Assert.True(File.Exists(Path.ChangeExtension(images.Path, ".complete")));
        Assert.Equal(larger.Items.Count, images.Decoded);
        DecodedImages.Delete(larger.Manifest, 24);
    }

    [Fact]
    public void A_bad_image_stops_the_fill_and_every_read_after_it_reports_that_image()
    {
        var bad = _data.Items[3];
        File.WriteAllText(Path.Combine(_data.Manifest.Root, bad.File), "not an image");
        using (var filling = DecodedImages.Begin(_data.Manifest, 16, _data.CacheDirectory, workers: 1))
        {
            var error = Assert.Throws<InvalidDataException>(() => filling[bad.Id].ToArray());
            Assert.Contains(bad.File, error.Message);
            Assert.Equal(error.Message, Assert.Throws<InvalidDataException>(() => filling[_data.Items[0].Id].ToArray()).Message);
            Assert.Equal(error.Message, Assert.Throws<InvalidDataException>(filling.WaitComplete).Message);
        }
        Assert.Empty(Directory.GetFiles(_data.CacheDirectory));
    }

    [Fact]
    public void A_fill_removes_what_killed_fills_left_behind()
    {
        Directory.CreateDirectory(_data.CacheDirectory);
        var dead = Path.Combine(_data.CacheDirectory, $"0123.u8.{int.MaxValue}.abc.tmp");
        var mine = Path.Combine(_data.CacheDirectory, $"0123.u8.{Environment.ProcessId}.abc.tmp");
        File.WriteAllText(dead, "half a cache");
        File.WriteAllText(mine, "a fill in progress");
        using (_data.Open(16)) { }
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(mine));
    }

    [Fact]
    public void Size_and_new_bytes_give_a_new_cache_but_a_touch_does_not()
    {
        var at16 = _data.CacheFile(16);
        Assert.NotEqual(at16, _data.CacheFile(20));
        using (var first = _data.Open(16)) Assert.Equal(at16, first.Path);

        var changed = Path.Combine(_data.Manifest.Root, _data.Items[0].File);
        File.SetLastWriteTimeUtc(changed, File.GetLastWriteTimeUtc(changed).AddMinutes(1));
        Assert.Equal(at16, _data.CacheFile(16));
        using (var image = Cv2.ImRead(changed))
        {
            image.Set(0, 0, new Vec3b(1, 2, 3));
            TestImages.Write(changed, image);
        }
        Assert.NotEqual(at16, _data.CacheFile(16));
        using var again = _data.Open(16);
        Assert.Equal(_data.Items.Count, again.Decoded);
    }

    [Fact]
    public void Idx_items_decode_from_their_file()
    {
        var root = Path.Combine(_data.Root, "idx");
        Directory.CreateDirectory(root);
        var pixels = Enumerable.Range(0, 3 * 8 * 8).Select(i => (byte)(i * 7)).ToArray();
        IdxFile.Write(Path.Combine(root, "t-images-idx3-ubyte"), [3, 8, 8], pixels);
        var items = Enumerable.Range(0, 3).Select(i => new DatasetItem($"t-images-idx3-ubyte#{i}", "t-images-idx3-ubyte", i % 2, Splits.Train, i)).ToList();
        var manifest = new SplitManifest("idx", root, ["a", "b"], items, new Dictionary<string, IReadOnlyDictionary<string, int>>());

        using var images = DecodedImages.Open(manifest, 8, _data.CacheDirectory);
        Assert.Equal(3, images.Decoded);
        var second = images[items[1].Id];
        for (var p = 0; p < 64; p++)
            for (var c = 0; c < 3; c++) Assert.Equal(pixels[64 + p], second[p * 3 + c]); // grey → RGB, same size: no resize
    }

    [Fact]
    public void An_empty_manifest_needs_no_file()
    {
        var manifest = _data.Manifest with { Items = [] };
        using var images = DecodedImages.Open(manifest, 16, _data.CacheDirectory);
        Assert.Equal(0, images.Count);
        using var again = DecodedImages.Open(manifest, 16, _data.CacheDirectory);
        Assert.Equal(0, again.Decoded);
    }
}
