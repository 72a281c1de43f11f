namespace Runner.Torch.Export;

/// <summary>
/// The sidecar <c>BACKBONE.json</c> beside an exported <c>BACKBONE.safetensors</c>: what a consumer needs to feed the model
/// (input size, channel order, normalisation) and read its output (class names, in logit order).
/// </summary>
internal sealed record ExportMetadata(
    string Format, string RunnerVersion, string Experiment, string Backbone, string Arch, int ImageSize, string HeadPrefix,
    string Normalization, IReadOnlyList<float> Mean, IReadOnlyList<float> Std, bool Bgr, float Scale, IReadOnlyList<string> Classes);
