namespace Runner.Core.Config;

/// <summary>
/// <c>precision:</c>, the arithmetic a backbone trains and is timed in. <c>fp32</c> computes in float32 throughout (TF32
/// off); <c>tf32</c> lets CUDA's matmuls and convolutions use TensorFloat-32; <c>amp_fp16</c> / <c>amp_bf16</c> run the
/// forward pass under libtorch's autocast (float16 with a dynamic loss scale, or bfloat16) over float32 weights;
/// <c>bf16</c> casts the model and its inputs to bfloat16. The checkpoint is float32 in every case.
/// </summary>
public static class Precisions
{
    public const string Fp32 = "fp32", Tf32 = "tf32", AmpFp16 = "amp_fp16", AmpBf16 = "amp_bf16", Bf16 = "bf16";

    public static readonly string[] All = [Fp32, Tf32, AmpFp16, AmpBf16, Bf16];

    /// <summary>
    /// fp32: the figures stay comparable with the original study, with CPU runs and with earlier results; AMP is one line
    /// (<c>precision: amp_bf16</c>) for whoever prefers cost to fidelity.
    /// </summary>
    public const string Default = Fp32;
}
