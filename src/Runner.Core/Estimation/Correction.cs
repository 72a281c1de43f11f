namespace Runner.Core.Estimation;

/// <summary>
/// How far an architecture's estimates were off on this machine: the geometric mean of actual ÷ estimated train time
/// over its last runs (at most <see cref="Window"/> weigh in, so it follows a machine that changes).
/// </summary>
public sealed record Correction(double Factor, int Runs)
{
    public const int Window = 5;
    public static readonly Correction None = new(1, 0);

    public Correction After(double ratio)
    {
        if (!(ratio > 0) || double.IsInfinity(ratio)) return this;
        var weight = Math.Min(Runs, Window - 1);
        return new Correction(Math.Exp((Math.Log(Factor) * weight + Math.Log(ratio)) / (weight + 1)), Runs + 1);
    }
}
