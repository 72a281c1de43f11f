namespace Runner.Torch.Weights;

/// <summary>The outcome of <see cref="WeightsStore.FetchAsync"/>: the download, whether a checksum verified it, and the entry it was imported
/// as.</summary>
public sealed record FetchedWeights(DownloadResult Download, bool Verified, StoredWeights Stored);
