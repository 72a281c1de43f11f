namespace Runner.Torch.Weights;

/// <summary>A file no weights format can read, or one a format recognises but cannot use (a legacy pickle, a whole model).</summary>
public sealed class WeightsFormatException(string message, Exception? inner = null) : WeightsException(message, inner);
