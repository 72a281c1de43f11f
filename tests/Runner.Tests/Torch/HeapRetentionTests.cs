using Runner.Torch;

namespace Runner.Tests.Torch;

public sealed class HeapRetentionTests
{
    [Fact]
    public void Glibc_accepts_the_settings_that_keep_freed_tensor_memory_for_reuse()
    {
        Assert.True(OperatingSystem.IsLinux());
        Assert.True(HeapRetention.Apply(), "mallopt refused M_MMAP_MAX or M_TRIM_THRESHOLD");
    }
}
