using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Training;

/// <summary>
/// An in-memory copy (on the CPU) of a model's state_dict, to restore the best epoch's weights at the end. The copies are
/// contiguous (NCHW) whatever the model's layout, since <see cref="Save"/> writes a tensor's memory as it lies.
/// </summary>
internal sealed class WeightsSnapshot : IDisposable
{
    private Dictionary<string, Tensor>? _state;

    public bool HasValue => _state is not null;

    public void Capture(nn.Module model)
    {
        Release();
        using var _ = torch.no_grad();
        _state = model.state_dict().ToDictionary(e => e.Key, e => DenseCopy(e.Value));
    }

    private static Tensor DenseCopy(Tensor t)
    {
        using var cpu = t.detach().to(CPU);
        using var dense = cpu.contiguous();
        return dense.clone().DetachFromDisposeScope();
    }

    /// <summary>Copies the captured tensors back into the model's own (device) tensors.</summary>
    public void Restore(nn.Module model)
    {
        if (_state is null) throw new InvalidOperationException("no weights captured");
        using var _ = torch.no_grad();
        foreach (var (key, target) in model.state_dict())
            target.copy_(_state[key]);
    }

    /// <summary>Writes the captured tensors: count, then name and tensor for each.</summary>
    public void Save(string path)
    {
        if (_state is null) throw new InvalidOperationException("no weights captured");
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(_state.Count);
        foreach (var (key, tensor) in _state.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            writer.Write(key);
            tensor.Save(writer);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote, shaped like <paramref name="model"/>'s state_dict.</summary>
    public void Load(nn.Module model, string path)
    {
        Release();
        using var _ = torch.no_grad();
        var state = model.state_dict().ToDictionary(e => e.Key, e => DenseCopy(e.Value));
        using var reader = new BinaryReader(File.OpenRead(path));
        var count = reader.ReadInt32();
        if (count != state.Count) throw new InvalidDataException($"{path}: {count} tensors, the model has {state.Count}");
        for (var i = 0; i < count; i++) state[reader.ReadString()].Load(reader);
        _state = state;
    }

    private void Release()
    {
        if (_state is null) return;
        foreach (var t in _state.Values) t.Dispose();
        _state = null;
    }

    public void Dispose() => Release();
}
