namespace Runner.Core.Results;

internal sealed record RepeatTest(Evaluation.SeedInterval LogLoss, Evaluation.SeedInterval Accuracy);
