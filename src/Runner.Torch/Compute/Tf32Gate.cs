using TorchSharp;

namespace Runner.Torch.Compute;

/// <summary>
/// TF32 is one process-wide libtorch switch for cuBLAS and one for cuDNN, while tasks on several GPUs run at once in one
/// process. A task holds the gate in its mode while it computes; a task wanting the other mode waits until every holder
/// has left, then sets both switches. So a <c>fp32</c> training never runs its matmuls in TF32 because a <c>tf32</c> one
/// started beside it.
/// </summary>
internal static class Tf32Gate
{
    private static readonly object Lock = new();
    private static bool _mode;
    private static int _holders;

    public static IDisposable Enter(bool tf32, CancellationToken cancel = default)
    {
        lock (Lock)
        {
            while (_holders > 0 && _mode != tf32)
            {
                cancel.ThrowIfCancellationRequested();
                Monitor.Wait(Lock, TimeSpan.FromMilliseconds(200));
            }
            if (_holders++ == 0)
            {
                _mode = tf32;
                torch.backends.cuda.matmul.allow_tf32 = tf32;
                torch.backends.cudnn.allow_tf32 = tf32;
            }
        }
        return new Holder();
    }

    private sealed class Holder : IDisposable
    {
        private bool _left;

        public void Dispose()
        {
            lock (Lock)
            {
                if (_left) return;
                _left = true;
                if (--_holders == 0) Monitor.PulseAll(Lock);
            }
        }
    }
}
