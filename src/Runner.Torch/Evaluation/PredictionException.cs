namespace Runner.Torch.Evaluation;

/// <summary>Bad input to a prediction (no images, unreadable files, a head that cannot answer the question): exit code 2.</summary>
public sealed class PredictionException(string message) : Exception(message);
