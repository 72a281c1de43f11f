using System.Globalization;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Runner.Core.Publishing;

namespace Runner.Tests.Core.Publishing;

public sealed class RedactionTests
{
    private sealed class Collect : ILogEventSink
    {
        public List<string> Lines { get; } = [];
        public void Emit(LogEvent e) => Lines.Add($"{e.MessageTemplate.Text} | {e.RenderMessage(CultureInfo.InvariantCulture)} | {e.Exception}");
    }

    [Fact]
    public void Logged_messages_properties_and_exceptions_never_carry_the_token()
    {
        const string token = "ghp_SECRET0123456789";
        var collect = new Collect();
        var log = RedactingLogger.Wrap(new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(collect).CreateLogger(), new SecretRedactor(token));

        log.Information("header {Authorization} for {Repo}", $"Token {token}", "octo/repo");
        log.Error(new InvalidOperationException($"request with {token} failed"), "call failed");
        log.Warning($"inline {token} in the template");

        Assert.Equal(3, collect.Lines.Count);
        Assert.All(collect.Lines, line => Assert.DoesNotContain(token, line));
        Assert.Contains("header \"Token ***\" for \"octo/repo\"", collect.Lines[0]);
        Assert.Contains("request with *** failed", collect.Lines[1]);
        Assert.Contains("inline *** in the template", collect.Lines[2]);
    }
}
