using static TorchSharp.torch;

namespace Runner.Torch.Data;

/// <summary>One batch on the CPU: NCHW float images and int64 labels. The consumer owns it and disposes it.</summary>
public sealed class Batch : IDisposable
{
    internal Batch(int index, int count, Tensor images, Tensor labels)
    {
        Index = index;
        Count = count;
        Images = images;
        Labels = labels;
    }

    /// <summary>Position of the batch in its epoch (0-based).</summary>
    public int Index { get; }
    public int Count { get; }
    public Tensor Images { get; }
    public Tensor Labels { get; }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
