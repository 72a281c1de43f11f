namespace Runner.Core.Reporting;

/// <summary>The name that wins each column ("" when none has a value); the tables print it in bold.</summary>
internal sealed record BestOf(
    string EpochSeconds, string LatencyMs, string TestLogLoss, string TestAccuracy, string ImagesPerSecond, string InferenceImagesPerSecond,
    string EnsembleTestLogLoss, string EnsembleTestAccuracy, string EnsembleLatencyMs, string OverallTestLogLoss, string AccuracyPerMs);
