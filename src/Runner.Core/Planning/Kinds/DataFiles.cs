namespace Runner.Core.Planning.Kinds;

/// <param name="Fingerprint">How the digest was made; entries from before content addressing say "size+mtime".</param>
internal sealed record DataFiles(int Count, string Digest, string Fingerprint = "sha256");
