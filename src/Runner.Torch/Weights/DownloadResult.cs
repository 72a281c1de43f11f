namespace Runner.Torch.Weights;

/// <summary>A finished, verified download.</summary>
public sealed record DownloadResult(string Path, string Sha256, long Bytes, long ResumedFrom, bool AlreadyPresent);
