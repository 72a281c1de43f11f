using System.Globalization;
using Serilog;

namespace Runner.Cli;

/// <summary>Serilog to <c>.runner/logs/</c>; the console shows progress, the file keeps the detail.</summary>
internal static class Logging
{
    public static string Directory => Path.Combine(".runner", "logs");

    public static ILogger Create() => new LoggerConfiguration()
        .MinimumLevel.Debug()
        .Enrich.WithProperty("Pid", Environment.ProcessId)
        .WriteTo.File(Path.Combine(Directory, "runner-.log"), rollingInterval: RollingInterval.Day,
            outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] [{Pid}] {Task} {Message:lj}{NewLine}{Exception}",
            formatProvider: CultureInfo.InvariantCulture, shared: true)
        .CreateLogger();
}
