using System.Runtime.InteropServices;

namespace Runner.Torch.Training;

/// <summary>
/// Runs an epoch at the current batch size; on CUDA, a "CUDA out of memory" failure halves the batch size and runs the
/// same epoch again from the state it began in, down to batch size 1, after which it fails with a clear message. Off CUDA every exception passes
/// through.
/// </summary>
internal sealed class OutOfMemoryRetry(int batchSize, bool cuda, Action<int, int>? onHalve = null)
{
    /// <summary>The batch size the last successful (or next) epoch runs with.</summary>
    public int BatchSize { get; private set; } = batchSize;

    private readonly int _configured = batchSize;

    /// <summary>Starts from a batch size an earlier, interrupted run had already halved to.</summary>
    public void ContinueAt(int reduced)
    {
        if (reduced < 1 || reduced > _configured)
            throw new ArgumentOutOfRangeException(nameof(reduced), reduced, $"a batch size from 1 to {_configured}");
        BatchSize = reduced;
    }

    /// <param name="rewind">Called before each retry, to put the model and optimizer back to how the epoch began.</param>
    public T Run<T>(Func<int, T> epoch, Action? rewind = null)
    {
        while (true)
        {
            try
            {
                return epoch(BatchSize);
            }
            catch (Exception e) when (cuda && IsCudaOutOfMemory(e))
            {
                if (BatchSize <= 1)
                    throw new InvalidOperationException($"CUDA out of memory even at batch size 1 (configured {_configured}); use a smaller image_size or model", e);
                var previous = BatchSize;
                BatchSize = Math.Max(1, BatchSize / 2);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                onHalve?.Invoke(previous, BatchSize);
                rewind?.Invoke();
            }
        }
    }

    /// <summary>TorchSharp reports libtorch's CUDA allocator failure as an <see cref="ExternalException"/> with this message.</summary>
    public static bool IsCudaOutOfMemory(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is ExternalException && x.Message.Contains("CUDA out of memory", StringComparison.Ordinal)) return true;
        return false;
    }
}
