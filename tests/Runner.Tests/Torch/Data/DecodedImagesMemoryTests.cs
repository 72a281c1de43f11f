using Runner.Tests.Fixtures;

namespace Runner.Tests.Torch.Data;

/// <summary>The cache keeps pixels out of managed memory: reads allocate nothing and an open cache retains almost nothing.</summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class DecodedImagesMemoryTests
{
    [Fact]
    public void Pixels_stay_in_the_mapped_file_not_in_managed_memory()
    {
        using var data = new TinyImages(perClass: 150, width: 70, height: 50);
        const int size = 128;
        var pixelBytes = (long)data.Items.Count * size * size * 3; // 14.7 MB
        using (data.Open(size)) { } // fill once, so the measurement below covers the steady state

        // GC.GetTotalMemory is process-wide: a straggling thread of another test can add a megabyte or so.
        // The least of three samples is what this cache itself holds; pixels in managed memory would be all 14.7 MB.
        var retained = long.MaxValue;
        for (var sample = 0; sample < 3; sample++)
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            using var images = data.Open(size);
            var sum = 0L;
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            for (var round = 0; round < 3; round++)
                for (var slot = 0; slot < images.Count; slot++)
                    foreach (var b in images[slot]) sum += b;
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            retained = Math.Min(retained, GC.GetTotalMemory(forceFullCollection: true) - before);

            Assert.True(sum > 0);
            Assert.Equal(0, images.Decoded);
            Assert.True(allocated < 1024, $"reading every image 3× allocated {allocated} bytes");
            GC.KeepAlive(images);
        }
        Assert.True(retained < pixelBytes / 8, $"an open cache of {pixelBytes} pixel bytes retains {retained} managed bytes");
    }
}
