namespace Runner.Torch.Training;

/// <summary>Training produced a loss or weights that are NaN or infinite; the message names the epoch and batch.</summary>
internal sealed class TrainingDivergedException(string message) : Exception(message);
