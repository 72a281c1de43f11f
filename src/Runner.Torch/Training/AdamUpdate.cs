using static TorchSharp.torch;

namespace Runner.Torch.Training;

/// <summary>
/// The update Adam and AdamW share, with TorchSharp 0.107's tensor operations in the same order (so the same seed gives
/// the same weights), except that each parameter's temporaries are freed as soon as its update is done. TorchSharp's
/// own step keeps every parameter's square root and denominator alive until the whole step ends (one dispose scope):
/// for resnet18 that is about 90 MB allocated and released at once per step, which glibc hands back to the kernel, so
/// the next step faults it in again. PyTorch frees each temporary at once and reuses the same block.
/// </summary>
internal static class AdamUpdate
{
    public static void Apply(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, long step, double lr, double beta1, double beta2, double eps)
    {
        var biasCorrection1 = 1 - Math.Pow(beta1, step);
        var biasCorrection2 = 1 - Math.Pow(beta2, step);
        expAvg.mul_(beta1).add_(grad, alpha: 1 - beta1);
        expAvgSq.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
        using var root = expAvgSq.sqrt();
        using var denominator = root / Math.Sqrt(biasCorrection2);
        denominator.add_(eps);
        param.addcdiv_(expAvg, denominator, value: -(lr / biasCorrection1));
    }

    /// <summary>The options runner never sets; the lean step does not implement them.</summary>
    public static void RequirePlain(bool amsgrad, bool maximize)
    {
        if (amsgrad || maximize) throw new NotSupportedException("the lean Adam step implements neither amsgrad nor maximize");
    }
}
