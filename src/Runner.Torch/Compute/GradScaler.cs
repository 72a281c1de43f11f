using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Compute;

/// <summary>
/// Dynamic loss scaling for float16 training, as <c>torch.amp.GradScaler</c> does it: the loss is multiplied by
/// <see cref="Scale"/> before the backward pass so that small gradients survive float16; the gradients are divided by it
/// again before clipping and the optimizer step; a step whose gradients hold an infinity or NaN is skipped and the scale
/// backs off (× <see cref="BackoffFactor"/>), and after <paramref name="growthInterval"/> finite steps in a row it grows
/// (× <see cref="GrowthFactor"/>); torch's defaults throughout. Deciding to skip reads one value from the device per step.
/// Disabled, it is the plain backward and step.
/// </summary>
internal sealed class GradScaler(bool enabled, double initialScale = 65536, int growthInterval = 2000)
{
    public const double GrowthFactor = 2, BackoffFactor = 0.5;

    private bool _unscaled;
    private bool _finite = true;

    public bool Enabled => enabled;
    public double Scale { get; private set; } = initialScale;
    /// <summary>Finite steps in a row since the scale last changed.</summary>
    public int GrowthTracker { get; private set; }
    /// <summary>Steps skipped because a gradient was infinite or NaN.</summary>
    public int SkippedSteps { get; private set; }

    /// <summary>The loss to call backward on.</summary>
    public Tensor Scaled(Tensor loss) => enabled ? loss * Scale : loss;

    /// <summary>
    /// Divides the gradients of <paramref name="optimizer"/>'s parameters by the scale, once per step; call it before clipping them.
    /// </summary>
    public void Unscale(optim.Optimizer optimizer)
    {
        if (!enabled || _unscaled) return;
        _unscaled = true;
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var sums = new List<Tensor>();
        foreach (var grad in optimizer.parameters().Select(p => p.grad).OfType<Tensor>())
        {
            grad.mul_(1 / Scale);
            sums.Add(grad.sum(type: ScalarType.Float32));
        }
        // An infinity or NaN anywhere makes the sum non-finite: one read from the device decides the step.
        _finite = sums.Count == 0 || torch.isfinite(torch.stack(sums).sum()).item<bool>();
    }

    /// <summary>Unscales if not done yet, steps unless a gradient was not finite, and updates the scale. Returns whether it stepped.</summary>
    public bool Step(optim.Optimizer optimizer)
    {
        if (!enabled)
        {
            optimizer.step();
            return true;
        }
        Unscale(optimizer);
        _unscaled = false;
        if (_finite)
        {
            optimizer.step();
            if (++GrowthTracker == growthInterval)
            {
                Scale *= GrowthFactor;
                GrowthTracker = 0;
            }
            return true;
        }
        SkippedSteps++;
        Scale *= BackoffFactor;
        GrowthTracker = 0;
        return false;
    }

    /// <summary>What a resume point keeps, so a resumed run scales as an uninterrupted one.</summary>
    public LossScaleState State => new(Scale, GrowthTracker, SkippedSteps);

    public void Restore(LossScaleState state) => (Scale, GrowthTracker, SkippedSteps) = (state.Scale, state.GrowthTracker, state.SkippedSteps);
}
