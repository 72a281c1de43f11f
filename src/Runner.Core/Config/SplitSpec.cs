namespace Runner.Core.Config;

public sealed record SplitSpec(double Validation, double Test, bool Stratify, int Seed);
