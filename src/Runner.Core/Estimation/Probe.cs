namespace Runner.Core.Estimation;

/// <summary>
/// One throughput probe: a few timed steps of one architecture at one image size and batch size on this machine, after
/// warm-up. <see cref="TrainSecondsPerImage"/>: forward, backward and optimizer step with every parameter training;
/// <see cref="ForwardSecondsPerImage"/>: an inference-mode forward pass (what validation, eval and a head-only phase
/// mostly cost); <see cref="PeakMemoryMb"/>: the process's resident set (CPU) or GPU memory (CUDA) after the train steps.
/// </summary>
public sealed record Probe(double TrainSecondsPerImage, double ForwardSecondsPerImage, double PeakMemoryMb, double GMacs, int Steps, DateTime Measured)
{
    public static string KeyOf(string arch, int imageSize, int batchSize) => $"{arch}@{imageSize}px/b{batchSize}";
}

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
