using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace Runner.Core.Publishing;

/// <summary>
/// A Serilog sink that passes every event on to <paramref name="inner"/> with secrets masked in its template, its
/// property values and its exception, so no sink behind it can write the token.
/// </summary>
internal sealed class RedactingSink(Serilog.ILogger inner, SecretRedactor redactor) : ILogEventSink
{
    private static readonly MessageTemplateParser Parser = new();

    public void Emit(LogEvent logEvent)
    {
        var exception = logEvent.Exception is { } x && redactor.Finds(x.ToString()) ? new RedactedException(redactor.Redact(x.ToString())) : logEvent.Exception;
        var template = redactor.Finds(logEvent.MessageTemplate.Text) ? Parser.Parse(redactor.Redact(logEvent.MessageTemplate.Text)) : logEvent.MessageTemplate;
        var properties = logEvent.Properties.Select(p => new LogEventProperty(p.Key, Redact(p.Value)));
        inner.Write(new LogEvent(logEvent.Timestamp, logEvent.Level, exception, template, properties));
    }

    private LogEventPropertyValue Redact(LogEventPropertyValue value)
    {
        var text = value is ScalarValue { Value: string s } ? s : value.ToString();
        return redactor.Finds(text) ? new ScalarValue(redactor.Redact(text)) : value;
    }

    /// <summary>Stands in for an exception whose text held a secret: the masked text of the original.</summary>
    private sealed class RedactedException(string text) : Exception(text)
    {
        public override string ToString() => Message;
    }
}
