namespace Runner.Torch.Weights;

/// <summary>A file no weights format can read, or one a format recognises but cannot use (a legacy pickle, a whole model).</summary>
internal sealed class WeightsFormatException(string message, Exception? inner = null) : WeightsException(message, inner);
