using static TorchSharp.torch;

namespace Runner.Torch.Training;

/// <summary>
/// The model's weights and buffers and the optimizer's state as an epoch began, so an epoch retried after CUDA ran out
/// of memory starts from them again instead of from wherever the failed attempt stopped.
/// </summary>
internal sealed class EpochStart : IDisposable
{
    private readonly WeightsSnapshot _weights = new();
    private byte[] _optimizer = [];

    public void Capture(nn.Module model, optim.Optimizer optimizer)
    {
        _weights.Capture(model);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            Optimizers.State(optimizer).save_state_dict(writer);
        _optimizer = buffer.ToArray();
    }

    public void Restore(nn.Module model, optim.Optimizer optimizer)
    {
        _weights.Restore(model);
        using var reader = new BinaryReader(new MemoryStream(_optimizer));
        Optimizers.State(optimizer).load_state_dict(reader);
    }

    public void Dispose() => _weights.Dispose();
}
