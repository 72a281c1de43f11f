using System.Text.RegularExpressions;

namespace Runner.Core.Util;

/// <summary>
/// URLs as runner shows or records them: credentials in them (<c>user:token@</c>, or query parameters such as
/// <c>token=</c>, <c>X-Amz-Signature=</c>) replaced by <c>***</c>, so no message, log or manifest carries a secret.
/// </summary>
public static partial class UrlText
{
    public const string Mask = "***";

    public static string Redact(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.UserInfo.Length == 0 && !SecretParameter().IsMatch(url.Query))) return url.ToString();
        var builder = new UriBuilder(url);
        if (url.UserInfo.Length > 0)
        {
            builder.UserName = Mask;
            builder.Password = "";
        }
        if (builder.Query.Length > 1) builder.Query = SecretParameter().Replace(builder.Query[1..], m => $"{m.Groups[1].Value}={Mask}");
        return builder.Uri.ToString();
    }

    /// <summary>A query parameter whose name says it carries a secret.</summary>
    [GeneratedRegex(@"([^&=]*(?:token|key|sig|secret|pass|auth|credential)[^&=]*)=[^&]*", RegexOptions.IgnoreCase)]
    private static partial Regex SecretParameter();
}
