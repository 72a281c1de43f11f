namespace Runner.Torch.Weights;

/// <summary>A stored weight file (TorchSharp's own format, <c>module.save</c>) and its manifest.</summary>
public sealed record WeightsEntry(WeightsManifest Manifest, string WeightsPath, string ManifestPath)
{
    public string Arch => Manifest.Arch;
    public string Name => Manifest.Name;

    /// <summary>What train keys use (<see cref="WeightsIdentity"/>); the store gives every manifest one when it reads it.</summary>
    public string Identity => Manifest.Identity ?? Manifest.Sha256;
}
