namespace Runner.Core.Config;

/// <summary>A closed range [Min, Max] that a step draws a value from.</summary>
public readonly record struct Interval(double Min, double Max);
