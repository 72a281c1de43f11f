namespace Runner.Torch.Models;

/// <summary>
/// Input normalisation: <c>(pixel / 255 · Scale − Mean[c]) / Std[c]</c> per channel, channels in RGB order
/// unless <see cref="Bgr"/>. Mean and Std are given in the model's own channel order.
/// </summary>
public sealed record Normalization(string Name, float[] Mean, float[] Std, bool Bgr = false, float Scale = 1f)
{
    public static readonly Normalization ImageNet = new("imagenet", [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);
    public static readonly Normalization Inception = new("inception", [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]);

    /// <summary>Writes one image (RGB bytes, HWC) as normalised CHW floats into <paramref name="chw"/>.</summary>
    public void ToChw(ReadOnlySpan<byte> rgb, Span<float> chw)
    {
        var plane = chw.Length / 3;
        for (var c = 0; c < 3; c++)
        {
            var source = Bgr ? 2 - c : c;
            var scale = Scale / (255f * Std[c]);
            var shift = Mean[c] / Std[c];
            var channel = chw.Slice(c * plane, plane);
            for (var p = 0; p < plane; p++) channel[p] = rgb[p * 3 + source] * scale - shift;
        }
    }
}
