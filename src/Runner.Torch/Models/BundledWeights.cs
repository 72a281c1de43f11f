namespace Runner.Torch.Models;

/// <summary>
/// A weight file shipped with the application (under its folder) that <c>weights: imagenet</c> resolves to, with its
/// SHA-256 pinned so that a plan knows the weights' identity before the file is imported (a test checks the pin).
/// </summary>
public sealed record BundledWeights(string RelativePath, string Sha256)
{
    public string FullPath => System.IO.Path.Combine(AppContext.BaseDirectory, RelativePath);
}
