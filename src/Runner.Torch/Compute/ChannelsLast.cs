using System.Reflection;
using Runner.Torch.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Compute;

/// <summary>
/// NHWC strides (PyTorch's <c>channels_last</c>) without TorchSharp's help: it takes no memory format in
/// <c>contiguous()</c> or <c>Module.to</c>, but <c>permute(0,2,3,1).contiguous().permute(0,3,1,2)</c> is the same NCHW
/// tensor laid out NHWC, and libtorch's convolutions keep that layout through the network. Parameters, buffers and the
/// optimizer's state (built over NHWC parameters, it is NHWC too) are changed in place (<c>set_</c>), so modules and
/// optimizers keep their tensors. TorchSharp refuses to save a tensor that is not contiguous, so everything goes back to
/// NCHW while it is saved (<see cref="WhileContiguous"/>).
/// </summary>
internal static class ChannelsLast
{
    /// <summary>A copy of a 4-d tensor with NHWC strides; other tensors as they are.</summary>
    public static Tensor Of(Tensor t) => t.dim() == 4 ? t.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : t.alias();

    /// <summary>Lays every 4-d parameter and buffer of <paramref name="model"/> out NHWC, in place.</summary>
    public static void Apply(nn.Module model) => Relayout(Tensors(model), Of);

    /// <summary>Lays every 4-d parameter and buffer back out NCHW (contiguous), in place.</summary>
    public static void ToContiguous(nn.Module model) => Relayout(Tensors(model), t => t.contiguous());

    /// <summary>
    /// Runs <paramref name="action"/> (a save or a load) with the model's and the optimizer's tensors NCHW, then lays them out NHWC again.
    /// </summary>
    public static void WhileContiguous(nn.Module model, optim.Optimizer? optimizer, Action action)
    {
        // Listed again afterwards: loading an optimizer's state may replace its tensors.
        IEnumerable<Tensor> All() => Tensors(model).Concat(optimizer is null ? [] : StateTensors(optimizer));
        Relayout(All(), t => t.contiguous());
        try
        {
            action();
        }
        finally
        {
            Relayout(All(), Of);
        }
    }

    private static IEnumerable<Tensor> Tensors(nn.Module model) => model.parameters().Cast<Tensor>().Concat(model.buffers());

    /// <summary>The tensors of TorchSharp's per-parameter optimizer states (moments, momentum buffers): their public tensor fields.</summary>
    private static IEnumerable<Tensor> StateTensors(optim.Optimizer optimizer) =>
        Optimizers.State(optimizer).state_dict().State.SelectMany(state => state.GetType()
            .GetFields(BindingFlags.Public | BindingFlags.Instance).Where(f => f.FieldType == typeof(Tensor))
            .Select(f => f.GetValue(state)).OfType<Tensor>());

    private static void Relayout(IEnumerable<Tensor> tensors, Func<Tensor, Tensor> layout)
    {
        using var _ = torch.no_grad();
        foreach (var t in tensors.Where(t => t.dim() == 4))
        {
            using var laid = layout(t);
            t.set_(laid);
        }
    }
}
