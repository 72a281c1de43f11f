using Runner.Core.Config;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Compute;

/// <summary>
/// How a train or time task computes on its device: its <c>precision</c> (<see cref="Precisions"/>) and whether it lays
/// tensors out channels_last. The model and optimizer state stay float32 except under <c>bf16</c>, which casts the model
/// (do that with <see cref="CastModel"/> before loading a resume point, whose tensors are bfloat16 then); checkpoints
/// are float32 NCHW whatever the mode (<see cref="Portable"/>).
/// </summary>
internal sealed class ComputeMode
{
    public ComputeMode(string precision, bool channelsLast, Device device)
    {
        if (!Precisions.All.Contains(precision)) throw new ArgumentException($"unknown precision '{precision}'", nameof(precision));
        Precision = precision;
        ChannelsLast = channelsLast;
        Device = device;
    }

    public string Precision { get; }
    public bool ChannelsLast { get; }
    public Device Device { get; }

    /// <summary>Autocast's type for the forward pass, or null when the mode does not autocast.</summary>
    public ScalarType? AutocastType => Precision switch
    {
        Precisions.AmpFp16 => ScalarType.Float16,
        Precisions.AmpBf16 => ScalarType.BFloat16,
        _ => null,
    };

    /// <summary>The type of the model's weights and inputs.</summary>
    public ScalarType ModelType => Precision == Precisions.Bf16 ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>CUDA's TF32 switches: off for fp32 only (elsewhere reduced precision is what was asked for).</summary>
    public bool Tf32 => Precision != Precisions.Fp32;

    /// <summary>A loss scaler: enabled for float16 autocast, whose small gradients would underflow.</summary>
    public GradScaler Scaler() => new(Precision == Precisions.AmpFp16);

    /// <summary>Holds TF32 in this mode while the task computes (CUDA only: the switches do nothing on the CPU).</summary>
    public IDisposable Math(CancellationToken cancel) => Device.type == DeviceType.CUDA ? Tf32Gate.Enter(Tf32, cancel) : NoScope.Instance;

    /// <summary>Autocast for one forward pass, on this thread; nothing outside the autocast modes.</summary>
    public IDisposable Autocast() => AutocastType is { } type ? Compute.Autocast.Enter(Device.type, type) : NoScope.Instance;

    /// <summary>
    /// Casts the model's weights to <see cref="ModelType"/> (bf16 only): before a resume point is loaded, and before an optimizer exists.
    /// </summary>
    public void CastModel(nn.Module model)
    {
        if (ModelType != ScalarType.Float32) model.to(ModelType);
    }

    /// <summary>Lays the model out for the mode, after it moved to its device and before an optimizer is built over it.</summary>
    public void Layout(nn.Module model)
    {
        if (ChannelsLast) Compute.ChannelsLast.Apply(model);
    }

    /// <summary>An input batch in the mode's type and layout.</summary>
    public Tensor Input(Tensor images)
    {
        var typed = images.dtype == ModelType ? images : images.to_type(ModelType);
        return ChannelsLast ? Compute.ChannelsLast.Of(typed) : typed;
    }

    /// <summary>
    /// Runs <paramref name="action"/> (a save or a load) with the model and optimizer state NCHW (TorchSharp saves only contiguous tensors).
    /// </summary>
    public void WhileContiguous(nn.Module model, optim.Optimizer? optimizer, Action action)
    {
        if (ChannelsLast) Compute.ChannelsLast.WhileContiguous(model, optimizer, action);
        else action();
    }

    /// <summary>The model as checkpoints hold it: float32, NCHW. The training is over: the optimizer's tensors are left behind.</summary>
    public void Portable(nn.Module model)
    {
        if (ChannelsLast) Compute.ChannelsLast.ToContiguous(model);
        if (ModelType != ScalarType.Float32) model.to(ScalarType.Float32);
    }

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();

        public void Dispose()
        {
        }
    }
}
