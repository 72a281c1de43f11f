namespace Runner.Torch.Weights;

/// <summary>Bad input about weights the user must fix (an unreadable file, a mismatch, an unknown name): exit code 2.</summary>
public class WeightsException(string message, Exception? inner = null) : Exception(message, inner);
