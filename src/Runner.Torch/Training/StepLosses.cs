using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Training;

/// <summary>
/// An epoch's per-step losses, kept on the device and read to the host once every <see cref="Interval"/> steps (one
/// synchronisation instead of one per step). Each value read is checked: the first NaN or infinite one fails training,
/// naming its epoch and batch.
/// </summary>
internal sealed class StepLosses(int epoch, int batchesPerEpoch) : IDisposable
{
    /// <summary>Steps between reads: what the progress line's loss lags by at most.</summary>
    public const int Interval = 10;

    private readonly List<(int Batch, int Count, Tensor Loss)> _pending = [];

    /// <summary>Sum over the steps read so far of loss × images in the step.</summary>
    public double Sum { get; private set; }
    /// <summary>Images in the steps read so far.</summary>
    public int Seen { get; private set; }
    public double Mean => Seen == 0 ? double.NaN : Sum / Seen;

    /// <param name="batch">0-based batch index within the epoch.</param>
    public void Add(int batch, int count, Tensor loss)
    {
        _pending.Add((batch, count, loss.detach().DetachFromDisposeScope()));
        if (_pending.Count >= Interval) Read();
    }

    /// <summary>Reads what is pending (call at the end of the epoch too); throws <see cref="TrainingDivergedException"/> at the first non-finite
    /// loss.</summary>
    public void Read()
    {
        if (_pending.Count == 0) return;
        float[] values;
        using (torch.NewDisposeScope())
            values = torch.stack(_pending.Select(p => p.Loss)).cpu().data<float>().ToArray();
        var steps = _pending.ToList();
        Release();
        for (var i = 0; i < steps.Count; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new TrainingDivergedException(
                    $"training diverged: the loss is {values[i].ToString(CultureInfo.InvariantCulture)} at epoch {epoch + 1}, batch {steps[i].Batch + 1} of {batchesPerEpoch}; lower the learning rate or set grad_clip");
            Sum += values[i] * steps[i].Count;
            Seen += steps[i].Count;
        }
    }

    /// <summary>The first parameter or buffer of <paramref name="model"/> that holds a NaN or infinity, or null.</summary>
    public static string? FirstNonFinite(nn.Module model)
    {
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        return model.state_dict().FirstOrDefault(e => e.Value.is_floating_point() && !torch.isfinite(e.Value).all().item<bool>()).Key;
    }

    private void Release()
    {
        foreach (var p in _pending) p.Loss.Dispose();
        _pending.Clear();
    }

    public void Dispose() => Release();
}
