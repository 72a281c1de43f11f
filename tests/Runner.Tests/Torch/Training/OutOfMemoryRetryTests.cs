using System.Runtime.InteropServices;
using Runner.Torch.Training;

namespace Runner.Tests.Torch.Training;

/// <summary>The CUDA out-of-memory policy with an injected epoch function: halve, retry the same epoch, stop at 1.</summary>
public sealed class OutOfMemoryRetryTests
{
    private static ExternalException Oom() => new("CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 139.00 GiB total capacity)");

    [Fact]
    public void Halves_the_batch_size_until_the_epoch_fits_and_keeps_it()
    {
        var tried = new List<int>();
        var halvings = new List<(int, int)>();
        var retry = new OutOfMemoryRetry(32, cuda: true, (from, to) => halvings.Add((from, to)));
        var loss = retry.Run(batch =>
        {
            tried.Add(batch);
            if (batch > 8) throw Oom();
            return 0.5;
        });
        Assert.Equal(0.5, loss);
        Assert.Equal(new[] { 32, 16, 8 }, tried);
        Assert.Equal(new[] { (32, 16), (16, 8) }, halvings);
        Assert.Equal(8, retry.BatchSize);

        tried.Clear();
        retry.Run(batch => { tried.Add(batch); return 0.0; }); // the next epoch starts at the reduced size
        Assert.Equal(new[] { 8 }, tried);
    }

    [Fact]
    public void Fails_clearly_once_batch_size_one_does_not_fit()
    {
        var tried = new List<int>();
        var retry = new OutOfMemoryRetry(5, cuda: true);
        var error = Assert.Throws<InvalidOperationException>(() => retry.Run<double>(batch => { tried.Add(batch); throw Oom(); }));
        Assert.Equal(new[] { 5, 2, 1 }, tried);
        Assert.Contains("CUDA out of memory even at batch size 1", error.Message);
        Assert.IsType<ExternalException>(error.InnerException);
    }

    [Fact]
    public void On_the_cpu_and_for_other_errors_exceptions_pass_through()
    {
        var calls = 0;
        var cpu = new OutOfMemoryRetry(16, cuda: false);
        Assert.Throws<ExternalException>(() => cpu.Run<double>(_ => { calls++; throw Oom(); }));
        Assert.Equal(1, calls);
        Assert.Equal(16, cpu.BatchSize);

        var cuda = new OutOfMemoryRetry(16, cuda: true);
        Assert.Throws<ExternalException>(() => cuda.Run<double>(_ => throw new ExternalException("CUDA error: device-side assert triggered")));
        Assert.Throws<InvalidOperationException>(() => cuda.Run<double>(_ => throw new InvalidOperationException("CUDA out of memory")));
        Assert.Equal(16, cuda.BatchSize);
    }

    [Fact]
    public void A_resumed_run_continues_at_the_batch_size_it_had_halved_to_and_still_halves_from_there()
    {
        var tried = new List<int>();
        var retry = new OutOfMemoryRetry(32, cuda: true);
        retry.ContinueAt(8);
        retry.Run(batch => { tried.Add(batch); if (batch > 4) throw Oom(); return 0.0; });
        Assert.Equal(new[] { 8, 4 }, tried);
        Assert.Throws<ArgumentOutOfRangeException>(() => retry.ContinueAt(64));
        Assert.Throws<ArgumentOutOfRangeException>(() => retry.ContinueAt(0));
    }
}
