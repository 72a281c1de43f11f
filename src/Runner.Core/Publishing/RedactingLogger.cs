namespace Runner.Core.Publishing;

public static class RedactingLogger
{
    /// <summary>A logger that masks <paramref name="redactor"/>'s secrets before anything reaches <paramref name="inner"/>.</summary>
    public static Serilog.ILogger Wrap(Serilog.ILogger inner, SecretRedactor redactor) =>
        new Serilog.LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(new RedactingSink(inner, redactor)).CreateLogger();
}
