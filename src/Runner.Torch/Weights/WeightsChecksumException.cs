namespace Runner.Torch.Weights;

/// <summary>The downloaded file's SHA-256 does not match the expected digest (or prefix); the file has been deleted.</summary>
internal sealed class WeightsChecksumException(string message) : WeightsDownloadException(message);
