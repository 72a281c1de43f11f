using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Compute;

/// <summary>
/// NHWC strides (PyTorch's <c>channels_last</c>) without TorchSharp's help: it takes no memory format in
/// <c>contiguous()</c> or <c>Module.to</c>, but <c>permute(0,2,3,1).contiguous().permute(0,3,1,2)</c> is the same NCHW
/// tensor laid out NHWC, and libtorch's convolutions keep that layout through the network. Parameters and buffers are
/// changed in place (<c>set_</c>), so modules and optimizers keep their tensors. TorchSharp saves a tensor's memory as it
/// lies, so a model goes back to <see cref="ToContiguous"/> before anything saves it.
/// </summary>
internal static class ChannelsLast
{
    /// <summary>A copy of a 4-d tensor with NHWC strides; other tensors as they are.</summary>
    public static Tensor Of(Tensor t) => t.dim() == 4 ? t.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : t.alias();

    /// <summary>Lays every 4-d parameter and buffer of <paramref name="model"/> out NHWC, in place.</summary>
    public static void Apply(nn.Module model) => Relayout(model, Of);

    /// <summary>Lays every 4-d parameter and buffer back out NCHW (contiguous), in place.</summary>
    public static void ToContiguous(nn.Module model) => Relayout(model, t => t.contiguous());

    private static void Relayout(nn.Module model, Func<Tensor, Tensor> layout)
    {
        using var _ = torch.no_grad();
        foreach (var t in model.parameters().Cast<Tensor>().Concat(model.buffers()).Where(t => t.dim() == 4))
        {
            using var laid = layout(t);
            t.set_(laid);
        }
    }
}
