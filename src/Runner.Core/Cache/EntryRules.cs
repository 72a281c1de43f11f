using System.Text.Json;
using Runner.Core.Util;

namespace Runner.Core.Cache;

/// <summary>
/// The rules every cache entry obeys, wherever it comes from (a task's staging folder, <c>cache import</c>, a remote
/// download): its manifest names its key, lists each file once under a plain relative name inside the entry, with a size
/// and a SHA-256, and the folder holds exactly those files with that content. <see cref="CacheStore.Find"/> applies the
/// manifest rules to every entry it hands out, and <see cref="CacheEntry.PathOf"/> refuses a name that breaks them, so no
/// copy out of an entry can write or read outside it.
/// </summary>
public static class EntryRules
{
    /// <summary>A manifest larger than this is not read: a real one lists a handful of files (a few KiB).</summary>
    public const long MaxManifestBytes = 16L * 1024 * 1024;

    private const int MaxNameBytes = 1024;

    /// <summary>Why <paramref name="name"/> is not a plain relative file name inside an entry ('/'-separated), or null when it is.</summary>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "an empty file name";
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameBytes) return $"a file name over {MaxNameBytes} bytes";
        if (name.Any(char.IsControl)) return "a file name with a control character";
        if (name.Contains('\\')) return "a file name with a backslash";
        if (name.StartsWith('/') || Path.IsPathRooted(name)) return "an absolute path";
        if (name.Split('/').Any(part => part is "" or "." or "..")) return "a path that leaves the entry or has empty, '.' or '..' parts";
        return null;
    }

    /// <summary>True for the 64 lower-case hex digits of a cache key.</summary>
    public static bool IsKey(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigitLower);

    /// <summary>One line per rule <paramref name="manifest"/> breaks as the manifest of <paramref name="key"/>; empty when it obeys all.</summary>
    public static IReadOnlyList<string> ManifestProblems(CacheManifest manifest, string key)
    {
        var problems = new List<string>();
        if (manifest.Key != key) problems.Add($"its manifest names key {Shown(manifest.Key)}");
        if (string.IsNullOrEmpty(manifest.TaskId) || manifest.TaskId.Any(char.IsControl)) problems.Add("its manifest has no usable task_id");
        if (manifest.Deps is null || manifest.Deps.Values.Any(d => !IsKey(d))) problems.Add("its manifest's deps are not all cache keys");
        if (manifest.Files is null)
        {
            problems.Add("its manifest has no files list");
            return problems;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal) { CacheStore.ManifestFile };
        foreach (var file in manifest.Files)
        {
            if (file is null)
            {
                problems.Add("its manifest lists an empty file entry");
                continue;
            }
            if (NameProblem(file.Name) is { } problem) problems.Add($"its manifest lists {Shown(file.Name)}: {problem}");
            else if (!seen.Add(file.Name)) problems.Add($"its manifest lists {file.Name} twice (or as the manifest itself)");
            if (file.Size < 0) problems.Add($"its manifest gives {Shown(file.Name)} a negative size");
            if (!IsSha256(file.Sha256)) problems.Add($"its manifest gives {Shown(file.Name)} no SHA-256");
        }
        return problems;
    }

    /// <summary>Reads a manifest file of at most <see cref="MaxManifestBytes"/>; <see cref="InvalidDataException"/> when it is not one.</summary>
    public static CacheManifest ReadManifest(string path)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxManifestBytes) throw new InvalidDataException($"{CacheStore.ManifestFile} is {length:N0} bytes, more than a manifest can be");
        return ParseManifest(File.ReadAllBytes(path));
    }

    /// <summary>A manifest from its bytes; <see cref="InvalidDataException"/> when they are not one.</summary>
    public static CacheManifest ParseManifest(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize<CacheManifest>(json, Json.Options) ?? throw new InvalidDataException("an empty manifest");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(e.Message.Split('\n')[0], e);
        }
    }

    /// <summary>
    /// Checks a folder that should be the complete entry for <paramref name="key"/> before it goes into a cache (an
    /// unpacked archive entry, a downloaded one): the manifest obeys the rules, the folder holds exactly the files it lists,
    /// and each has its size and SHA-256. One line per problem, each starting with the key; empty when the entry is intact.
    /// </summary>
    public static IReadOnlyList<string> CheckFolder(string folder, string key, out CacheManifest? manifest)
    {
        manifest = null;
        CacheManifest read;
        try
        {
            read = ReadManifest(Path.Combine(folder, CacheStore.ManifestFile));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return [$"{key}: no readable {CacheStore.ManifestFile} ({e.Message})"];
        }
        if (ManifestProblems(read, key) is { Count: > 0 } rules) return rules.Select(p => $"{key}: {p}").ToList();
        var listed = read.Files.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var problems = Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Directory.Exists(f) || new FileInfo(f).LinkTarget is not null)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => f != CacheStore.ManifestFile && !listed.Contains(f))
            .Order(StringComparer.Ordinal).Select(f => $"{key}/{f}: not in the manifest").ToList();
        problems.AddRange(CacheStore.Verify(new CacheEntry(folder, read)).Select(p => $"{key}/{p}"));
        if (problems.Count == 0) manifest = read;
        return problems;
    }

    private static bool IsSha256(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigitLower);

    private static string Shown(string? text) => text is null ? "none" : $"'{text}'";
}
