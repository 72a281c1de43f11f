namespace Runner.Core.Cache;

/// <summary>
/// Where the remote cache lives: <c>s3://BUCKET/PREFIX</c>, from <c>--remote</c> or <c>RUNNER_REMOTE</c>, on AWS S3 or,
/// with <c>AWS_ENDPOINT_URL</c> (or <c>AWS_ENDPOINT_URL_S3</c>), on any S3-compatible store.
/// </summary>
public sealed record RemoteLocation(string Bucket, string Prefix, Uri? Endpoint)
{
    public const string Variable = "RUNNER_REMOTE";
    public static readonly string[] EndpointVariables = ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"];

    /// <summary>
    /// The remote this command uses: none with <paramref name="off"/> (<c>--no-remote</c>), else <paramref name="option"/>
    /// (<c>--remote</c>), else <c>RUNNER_REMOTE</c> (unset or empty: none).
    /// </summary>
    /// <exception cref="FormatException">
    /// A URL that is not <c>s3://BUCKET[/PREFIX]</c>, or an endpoint that is not an http(s) URL; the message names where it came from.
    /// </exception>
    public static RemoteLocation? Resolve(string? option, bool off, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (off) return null;
        var (url, source) = string.IsNullOrWhiteSpace(option) ? (environment(Variable), Variable) : (option, "--remote");
        if (string.IsNullOrWhiteSpace(url)) return null;
        var endpoint = EndpointVariables.Select(v => (Name: v, Value: environment(v))).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v.Value));
        return Parse(url.Trim(), source, endpoint.Value is null ? null : ParseEndpoint(endpoint.Value.Trim(), endpoint.Name));
    }

    private static RemoteLocation Parse(string url, string source, Uri? endpoint)
    {
        const string scheme = "s3://";
        var rest = url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? url[scheme.Length..] : null;
        var bucket = rest?.Split('/')[0];
        if (string.IsNullOrEmpty(bucket) || !bucket.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            throw new FormatException($"{source} {Shown(url)}: expected s3://BUCKET or s3://BUCKET/PREFIX (e.g. s3://ml-cache/runner), " +
                "the bucket made of letters, digits, '.', '-' and '_'; credentials come from the AWS chain, never from the URL");
        var prefix = rest![bucket.Length..].Trim('/');
        if (prefix.Split('/').Any(p => p is "" or "." or "..") && prefix.Length > 0 || prefix.Any(c => char.IsControl(c) || c is '?' or '#'))
            throw new FormatException($"{source} {Shown(url)}: the prefix may not contain empty, '.' or '..' parts, control characters, '?' or '#'");
        return new RemoteLocation(bucket, prefix, endpoint);
    }

    private static Uri ParseEndpoint(string value, string variable) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.UserInfo)
            ? uri
            : throw new FormatException($"{variable} {Shown(value)}: expected an http:// or https:// URL of an S3-compatible endpoint " +
                "(e.g. http://minio.internal:9000), without credentials in it");

    /// <summary>A bad value, quoted, unless it may hold a credential (<c>user:secret@</c>).</summary>
    private static string Shown(string value) => value.Contains('@') ? "(not shown: it contains '@')" : $"'{value}'";

    /// <summary>The object key of <paramref name="relative"/> under the prefix.</summary>
    public string ObjectKey(string relative) => Prefix.Length == 0 ? relative : $"{Prefix}/{relative}";

    public override string ToString() => Prefix.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Prefix}";
}
