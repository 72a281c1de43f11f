using Runner.Torch.Training;
using static TorchSharp.torch;

namespace Runner.Torch.Compute;

/// <summary>
/// One optimisation step as training and throughput timing run it: the forward pass and loss under the mode's autocast
/// (the scope closes before the backward pass, clearing autocast's weight cache), the backward pass on the scaled loss,
/// unscaling, clipping, and the optimizer step (skipped when loss scaling found an infinite gradient).
/// </summary>
internal sealed class TrainStep(ComputeMode mode, GradScaler scaler, double labelSmoothing = 0, double? gradClip = null)
{
    public enum Phase { Forward, Backward, Optimizer }

    public GradScaler Scaler => scaler;

    /// <summary>Returns the (unscaled) loss; <paramref name="after"/> sees each phase end (to time them apart).</summary>
    public Tensor Run(nn.Module<Tensor, Tensor> model, Head head, Tensor images, Tensor labels, optim.Optimizer optimizer,
        Action<Phase>? after = null)
    {
        optimizer.zero_grad();
        Tensor loss;
        using (mode.Autocast()) loss = TrainExecutor.Loss(model, head, mode.Input(images), labels, labelSmoothing);
        after?.Invoke(Phase.Forward);
        scaler.Scaled(loss).backward();
        after?.Invoke(Phase.Backward);
        scaler.Unscale(optimizer);
        if (gradClip is { } maxNorm) TrainExecutor.ClipGradients(model, maxNorm);
        scaler.Step(optimizer);
        after?.Invoke(Phase.Optimizer);
        return loss;
    }
}
