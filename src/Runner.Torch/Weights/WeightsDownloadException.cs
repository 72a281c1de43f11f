namespace Runner.Torch.Weights;

/// <summary>A download that did not produce a verified file (network failure, interruption, checksum mismatch): exit code 1.</summary>
public class WeightsDownloadException(string message, Exception? inner = null) : Exception(message, inner);
