namespace Runner.Core.Config;

/// <summary><c>optimizer:</c> — momentum and nesterov apply to sgd only (they stay at their defaults otherwise).</summary>
public sealed record OptimizerSpec(string Name, double Lr, double WeightDecay = 0, double Momentum = 0.9, bool Nesterov = false);
