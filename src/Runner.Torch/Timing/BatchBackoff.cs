using System.Numerics;
using Runner.Torch.Training;

namespace Runner.Torch.Timing;

/// <summary>
/// How throughput timing steps its batch size down after running out of CUDA memory, as timm's benchmark does: two
/// steps per power of two (256 → 192 → 128 → 96 → 64 → 48 …), then 0 after 1.
/// </summary>
internal static class BatchBackoff
{
    public static int Next(int batchSize)
    {
        if (batchSize <= 1) return 0;
        var power = 1 << BitOperations.Log2((uint)(batchSize - 1));
        var step = Math.Max(power / 2, 1);
        return power + (batchSize - power - 1) / step * step;
    }

    /// <summary>
    /// <paramref name="measure"/> at <paramref name="batchSize"/>, then at each smaller size while it runs out of CUDA memory
    /// (only on CUDA; elsewhere every exception passes through). The measurement records the batch size it ran at.
    /// </summary>
    public static T Run<T>(int batchSize, bool cuda, Func<int, T> measure, Action<int, int>? onBackoff = null)
    {
        while (true)
        {
            try
            {
                return measure(batchSize);
            }
            catch (Exception e) when (cuda && OutOfMemoryRetry.IsCudaOutOfMemory(e) && Next(batchSize) > 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                onBackoff?.Invoke(batchSize, Next(batchSize));
                batchSize = Next(batchSize);
            }
        }
    }
}
