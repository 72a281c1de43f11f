using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using DotNet.Globbing;
using Runner.Cli;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Planning;

/// <summary>
/// Code identity: each task kind's revision is part of its keys, and <c>KindRevisions.json</c> records, per kind, the
/// revision and a digest of every source file its execution depends on. A change to those files fails this test until it
/// is either a revision bump (results may differ: the kind's tasks and their dependents run again) or recorded as
/// leaving results unchanged; both are done by re-running the test with <see cref="Record"/> set, and the commit of the
/// updated file is the record.
/// </summary>
public sealed class KindRevisionTests
{
    /// <summary>Set to 1 to rewrite KindRevisions.json from the sources and revisions as they are now.</summary>
    public const string Record = "RUNNER_RECORD_REVISIONS";

    private static readonly string Root = ReferenceFixtures.RepoRoot();
    private static readonly string FilePath = Path.Combine(Root, "tests", "Runner.Tests", "Core", "Planning", "KindRevisions.json");

    [Fact]
    public void Every_kind_s_sources_and_revision_are_as_recorded()
    {
        var recorded = JsonNode.Parse(File.ReadAllText(FilePath))!.AsObject();
        var problems = new List<string>();
        foreach (var kind in TaskKindRegistry.Kinds)
        {
            if (recorded[kind.Name] is not JsonObject entry)
            {
                problems.Add($"{kind.Name}: not in KindRevisions.json; add it with the globs of the sources its execution depends on");
                continue;
            }
            var globs = entry["sources"]!.AsArray().Select(g => g!.GetValue<string>()).ToList();
            var now = Digests(globs);
            var then = entry["files"]!.AsObject().ToDictionary(f => f.Key, f => f.Value!.GetValue<string>());
            var revision = entry["revision"]!.GetValue<int>();
            if (Environment.GetEnvironmentVariable(Record) == "1")
            {
                entry["revision"] = kind.Revision;
                entry["files"] = new JsonObject(now.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value)));
                continue;
            }
            var changed = then.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
                .Where(f => then.GetValueOrDefault(f) != now.GetValueOrDefault(f)).ToList();
            if (revision != kind.Revision)
                problems.Add($"{kind.Name}: revision {kind.Revision} in the code, {revision} recorded; record it ({Record}=1)");
            else if (changed.Count > 0)
                problems.Add($"{kind.Name}: {changed.Count} source file(s) changed since revision {revision} was recorded " +
                    $"({string.Join(", ", changed.Take(5))}{(changed.Count > 5 ? ", …" : "")}). If the same parameters can now give other " +
                    $"results, bump {kind.GetType().Name}.Revision to {revision + 1}; either way record it: " +
                    $"{Record}=1 ./test.sh --filter KindRevisionTests, and commit KindRevisions.json");
        }
        problems.AddRange(recorded.Select(r => r.Key).Except(TaskKindRegistry.Kinds.Select(k => k.Name))
            .Select(k => $"{k}: recorded but not registered"));
        if (Environment.GetEnvironmentVariable(Record) == "1")
            File.WriteAllText(FilePath, recorded.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        else
            Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_recorded_glob_matches_a_file()
    {
        var recorded = JsonNode.Parse(File.ReadAllText(FilePath))!.AsObject();
        var empty = recorded.SelectMany(r => r.Value!["sources"]!.AsArray().Select(g => (Kind: r.Key, Glob: g!.GetValue<string>())))
            .Where(g => Digests([g.Glob]).Count == 0).Select(g => $"{g.Kind}: {g.Glob}").ToList();
        Assert.True(empty.Count == 0, "globs that match nothing: " + string.Join(", ", empty));
    }

    /// <summary>
    /// Repository-relative path → the first 16 hex digits of its SHA-256, for every file under src/ (and report
    /// templates) the globs match.
    /// </summary>
    private static SortedDictionary<string, string> Digests(IReadOnlyList<string> globs)
    {
        var patterns = globs.Select(g => Glob.Parse(g)).ToList();
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var dir in new[] { "src", "reports/templates" }.Select(d => Path.Combine(Root, d)))
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Root, file).Replace('\\', '/');
                if (relative.Contains("/bin/") || relative.Contains("/obj/") || !patterns.Any(p => p.IsMatch(relative))) continue;
                files[relative] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)))[..16];
            }
        foreach (var rootFile in globs.Where(g => !g.Contains('/') && File.Exists(Path.Combine(Root, g))))
            files[rootFile] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Root, rootFile))))[..16];
        return files;
    }
}
