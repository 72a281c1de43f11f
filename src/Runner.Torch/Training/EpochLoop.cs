using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Training;

/// <summary>What an <see cref="EpochLoop"/> run did: epochs run, the 0-based epoch whose weights were kept, and whether it stopped early.</summary>
public sealed record EpochLoopResult(int EpochsRun, int BestEpoch, bool StoppedEarly);

/// <summary>
/// The epoch loop's control flow without the data: runs <c>epoch(i)</c> (train one epoch, return the validation
/// log loss) up to <c>epochs</c> times; with early stopping it calls <c>onBest(i)</c> whenever epoch i is the new best
/// (the caller snapshots the weights) and stops after patience epochs without improvement. Without early stopping the
/// last epoch is the one kept.
/// </summary>
public static class EpochLoop
{
    public static EpochLoopResult Run(int epochs, EarlyStopping? stopping, Func<int, double> epoch, Action<int>? onBest = null)
    {
        var run = 0;
        for (var i = 0; i < epochs; i++)
        {
            var loss = epoch(i);
            run = i + 1;
            if (stopping is null) continue;
            if (stopping.Observe(i, loss)) onBest?.Invoke(i);
            if (stopping.ShouldStop) break;
        }
        var best = stopping is null ? run - 1 : stopping.BestEpoch;
        return new EpochLoopResult(run, best, run < epochs);
    }
}

/// <summary>An in-memory copy (on the CPU) of a model's state_dict, to restore the best epoch's weights at the end.</summary>
public sealed class WeightsSnapshot : IDisposable
{
    private Dictionary<string, Tensor>? _state;

    public bool HasValue => _state is not null;

    public void Capture(nn.Module model)
    {
        Release();
        using var _ = torch.no_grad();
        _state = model.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().to(CPU).clone().DetachFromDisposeScope());
    }

    /// <summary>Copies the captured tensors back into the model's own (device) tensors.</summary>
    public void Restore(nn.Module model)
    {
        if (_state is null) throw new InvalidOperationException("no weights captured");
        using var _ = torch.no_grad();
        foreach (var (key, target) in model.state_dict())
            target.copy_(_state[key]);
    }

    private void Release()
    {
        if (_state is null) return;
        foreach (var t in _state.Values) t.Dispose();
        _state = null;
    }

    public void Dispose() => Release();
}
