namespace Runner.Core.Config;

/// <summary>One augmentation step: a kind, the probability it applies, and its size parameter if any.</summary>
public sealed record AugmentOp(string Kind, double P, double? Size = null);
