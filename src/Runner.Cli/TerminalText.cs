using System.Globalization;
using System.Text;

namespace Runner.Cli;

/// <summary>
/// Everything runner prints may reach a terminal, and much of it comes from outside: names from archives, YAML files,
/// options, image files and servers. A control character in them (ESC starting a CSI or OSC sequence, a carriage return)
/// could move the cursor, retitle the window or hide text, so <see cref="Install"/> makes <see cref="Console.Out"/> and
/// <see cref="Console.Error"/> print every control character except newline and tab visibly (<c>\x1B</c>). Progress
/// that draws on purpose writes through <see cref="RawOut"/>, with its text passed through <see cref="Escape"/>.
/// </summary>
internal sealed class TerminalText(TextWriter inner) : TextWriter
{
    /// <summary>Standard output as it was before <see cref="Install"/>, for deliberate escape sequences.</summary>
    public static TextWriter RawOut { get; private set; } = Console.Out;

    public static void Install()
    {
        if (Console.Out is TerminalText) return;
        RawOut = Console.Out;
        Console.SetOut(new TerminalText(Console.Out));
        Console.SetError(new TerminalText(Console.Error));
    }

    /// <summary><paramref name="text"/> with each control character but newline and tab written out as <c>\xHH</c> (or <c>\uHHHH</c>).</summary>
    public static string Escape(string text) => Escape(text, IsUnsafe);

    /// <summary>A value quoted in a message (a name, an option's argument): every control character written out, newlines too.</summary>
    public static string Value(string text) => Escape(text, char.IsControl);

    private static string Escape(string text, Func<char, bool> unsafeChar)
    {
        if (!text.Any(unsafeChar)) return text;
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (!unsafeChar(c)) escaped.Append(c);
            else if (c < 0x80) escaped.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            else escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
        }
        return escaped.ToString();
    }

    private static bool IsUnsafe(char c) => char.IsControl(c) && c is not ('\n' or '\t');

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (IsUnsafe(value)) inner.Write(Escape(value.ToString()));
        else inner.Write(value);
    }

    public override void Write(string? value) => inner.Write(value is null ? null : Escape(value));

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => inner.WriteLine(value is null ? null : Escape(value));

    public override void Flush() => inner.Flush();
}
