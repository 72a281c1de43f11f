namespace Runner.Core.Publishing;

/// <summary>Replaces secrets (the GitHub token) in any text with <c>***</c>.</summary>
public sealed class SecretRedactor(params string?[] secrets)
{
    public const string Mask = "***";
    private readonly string[] _secrets = secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToArray();

    public string Redact(string text) => _secrets.Aggregate(text, (t, s) => t.Replace(s, Mask, StringComparison.Ordinal));

    public bool Finds(string text) => _secrets.Any(s => text.Contains(s, StringComparison.Ordinal));
}
