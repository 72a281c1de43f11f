namespace Runner.Core.Results;

public sealed record RepeatTest(Evaluation.SeedInterval LogLoss, Evaluation.SeedInterval Accuracy);
