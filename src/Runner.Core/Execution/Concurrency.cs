namespace Runner.Core.Execution;

/// <summary>
/// Bounds on threads and parallel tasks a user may ask for (<c>--threads</c>, <c>--jobs</c>, <c>--device-jobs</c>, loader
/// workers and their environment variables): beyond them a machine only thrashes, or the process runs out of threads.
/// </summary>
public static class Concurrency
{
    public const int MaxThreads = 1024;
    public const int MaxJobs = 256;
    public const int MaxDeviceJobs = 64;

    /// <summary><paramref name="value"/> when it lies in [min, max]; otherwise invalid input naming <paramref name="what"/>.</summary>
    public static int Require(string what, int value, int min, int max) =>
        value >= min && value <= max ? value : throw new InvalidInputException($"{what} {value}: expected a whole number from {min} to {max}");

    /// <summary>An integer environment variable in [min, max], or null when it is unset or empty.</summary>
    public static int? FromEnvironment(string variable, int min, int max)
    {
        var raw = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(raw)) return null;
        return int.TryParse(raw, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) &&
            value >= min && value <= max
            ? value
            : throw new InvalidInputException($"{variable}={raw}: expected a whole number from {min} to {max}");
    }
}
