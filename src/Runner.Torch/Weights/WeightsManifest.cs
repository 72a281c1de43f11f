using System.Text.Json.Serialization;

namespace Runner.Torch.Weights;

/// <summary>
/// What <c>&lt;store&gt;/&lt;arch&gt;/&lt;name&gt;.json</c> says about a stored weight file. <see cref="HeadClasses"/> is the
/// head's class count as text, or "none" when the source had no head; <see cref="HeadOutputs"/> is the head size the
/// stored file was saved with (1 when there was none), <see cref="ImageSize"/> the image size it was built for (ViT); a head
/// the source lacked is not stored at all. <see cref="Identity"/> is what train keys use (<see cref="WeightsIdentity"/>),
/// <see cref="Sha256"/> only verifies the stored file; a manifest written before identities existed has none until
/// <see cref="WeightsStore"/> migrates it.
/// </summary>
public sealed record WeightsManifest(
    string Arch,
    string Name,
    string File,
    string Source,
    string SourceFormat,
    string? SourceSha256,
    string Sha256,
    long Parameters,
    string HeadClasses,
    int HeadOutputs,
    DateTimeOffset Created,
    string? Identity = null)
{
    public const string NoHead = "none";

    /// <summary>The image size the stored weights were built for, where their shapes depend on it (ViT); null otherwise.</summary>
    public int? ImageSize { get; init; }

    [JsonIgnore]
    public bool HasHead => HeadClasses != NoHead;
}
