namespace Runner.Torch.Weights;

/// <summary>Bad input about weights the user must fix (an unreadable file, a mismatch, an unknown name): exit code 2.</summary>
public class WeightsException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A file no weights format can read, or one a format recognises but cannot use (a legacy pickle, a whole model).</summary>
public sealed class WeightsFormatException(string message, Exception? inner = null) : WeightsException(message, inner);

/// <summary>A strict import failed: the file's keys or shapes do not match the architecture. <see cref="Exception.Message"/> is the full report.</summary>
public sealed class WeightsMismatchException(WeightsComparison comparison, string message) : WeightsException(message)
{
    public WeightsComparison Comparison { get; } = comparison;
}

/// <summary>A download that did not produce a verified file (network failure, interruption, checksum mismatch): exit code 1.</summary>
public class WeightsDownloadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The downloaded file's SHA-256 does not match the expected digest (or prefix); the file has been deleted.</summary>
public sealed class WeightsChecksumException(string message) : WeightsDownloadException(message);
