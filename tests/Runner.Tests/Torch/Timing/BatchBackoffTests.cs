using System.Runtime.InteropServices;
using Runner.Torch.Timing;

namespace Runner.Tests.Torch.Timing;

/// <summary>Throughput timing's out-of-memory policy, with an injected measurement: timm's steps down, the batch that ran recorded.</summary>
public sealed class BatchBackoffTests
{
    [Fact]
    public void Steps_down_two_per_power_of_two_as_timm_does()
    {
        var sizes = new List<int> { 256 };
        while (BatchBackoff.Next(sizes[^1]) is var next and > 0) sizes.Add(next);
        Assert.Equal([256, 192, 128, 96, 64, 48, 32, 24, 16, 12, 8, 6, 4, 3, 2, 1], sizes);
        Assert.Equal(192, BatchBackoff.Next(200));
    }

    [Fact]
    public void Out_of_cuda_memory_retries_smaller_and_returns_the_batch_that_ran()
    {
        var tried = new List<int>();
        var backoffs = new List<(int, int)>();
        var ran = BatchBackoff.Run(256, cuda: true, b =>
        {
            tried.Add(b);
            if (b > 100) throw new ExternalException("CUDA out of memory. Tried to allocate 1.50 GiB");
            return b;
        }, (from, to) => backoffs.Add((from, to)));

        Assert.Equal(96, ran);
        Assert.Equal([256, 192, 128, 96], tried);
        Assert.Equal([(256, 192), (192, 128), (128, 96)], backoffs);
    }

    [Fact]
    public void Off_cuda_and_at_batch_one_the_failure_passes_through()
    {
        Assert.Throws<ExternalException>(() => BatchBackoff.Run<double>(64, cuda: false, _ => throw new ExternalException("CUDA out of memory")));
        var tried = new List<int>();
        Assert.Throws<ExternalException>(() => BatchBackoff.Run<double>(2, cuda: true, b =>
        {
            tried.Add(b);
            throw new ExternalException("CUDA out of memory");
        }));
        Assert.Equal([2, 1], tried);
        Assert.Throws<InvalidOperationException>(
            () => BatchBackoff.Run<double>(64, cuda: true, _ => throw new InvalidOperationException("not memory")));
    }
}
