using System.Diagnostics;
using System.Text;

namespace Runner.Tests.Fixtures;

/// <summary>A real bare git repository in a temp folder, driven with git's plumbing commands.</summary>
public sealed class BareRepository : IDisposable
{
    public sealed record Entry(string Mode, string Type, string Sha);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "runner-bare-" + Guid.NewGuid().ToString("N")[..8]);

    public BareRepository() => Git("init", "--bare", "-q", "-b", "main");

    /// <summary>A first commit on <paramref name="branch"/> holding <paramref name="files"/> (path → text).</summary>
    public string Seed(string branch, IReadOnlyDictionary<string, string> files)
    {
        var tree = WriteTree(files.ToDictionary(f => f.Key, f => new Entry("100644", "blob", HashObject(Encoding.UTF8.GetBytes(f.Value)))));
        var commit = CommitTree(tree, null, "initial");
        Git("update-ref", $"refs/heads/{branch}", commit);
        return commit;
    }

    /// <summary>Someone else pushes: a commit adding <paramref name="path"/> on top of the branch.</summary>
    public string PushOther(string branch, string path, string text)
    {
        var head = Head(branch)!;
        var files = Files(head);
        files[path] = new Entry("100644", "blob", HashObject(Encoding.UTF8.GetBytes(text)));
        var commit = CommitTree(WriteTree(files), head, $"other change to {path}");
        Git("update-ref", $"refs/heads/{branch}", commit, head);
        return commit;
    }

    public string? Head(string branch) =>
        Run(null, ["rev-parse", "-q", "--verify", $"refs/heads/{branch}"]) is { ExitCode: 0 } r ? r.Output.Trim() : null;

    public string HashObject(byte[] content) => Run(content, ["hash-object", "-w", "--stdin"]).Output.Trim();

    public string CommitTree(string tree, string? parent, string message) =>
        Git(parent is null ? ["commit-tree", tree, "-m", message] : ["commit-tree", tree, "-p", parent, "-m", message]).Trim();

    /// <summary>Every file (blob) below a tree-ish, by path.</summary>
    public Dictionary<string, Entry> Files(string treeish) =>
        Lines(Git("ls-tree", "-r", treeish)).Select(Parse).ToDictionary(e => e.Path, e => e.Entry);

    public IEnumerable<(string Path, Entry Entry, string Size)> List(string treeish, bool recursive) =>
        Lines(Git(recursive ? ["ls-tree", "-r", "-t", "-l", treeish] : ["ls-tree", "-l", treeish])).Select(line =>
        {
            var (path, entry) = Parse(line);
            return (path, entry, line.Split('\t')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]);
        });

    /// <summary>Writes nested trees for a flat path → entry map, as git would store them; returns the root tree's sha.</summary>
    public string WriteTree(IReadOnlyDictionary<string, Entry> files)
    {
        var here = files.Where(f => !f.Key.Contains('/')).Select(f => $"{f.Value.Mode} {f.Value.Type} {f.Value.Sha}\t{f.Key}");
        var below = files.Where(f => f.Key.Contains('/')).GroupBy(f => f.Key[..f.Key.IndexOf('/')])
            .Select(g => $"040000 tree {WriteTree(g.ToDictionary(f => f.Key[(g.Key.Length + 1)..], f => f.Value))}\t{g.Key}");
        return Run(Encoding.UTF8.GetBytes(string.Concat(here.Concat(below).Select(l => l + "\n"))), ["mktree"]).Output.Trim();
    }

    public bool IsAncestor(string ancestor, string descendant) => Run(null, ["merge-base", "--is-ancestor", ancestor, descendant]).ExitCode == 0;

    public string Git(params string[] args) =>
        Run(null, args) is { ExitCode: 0 } r ? r.Output : throw new InvalidOperationException($"git {string.Join(' ', args)} failed");

    public byte[] Bytes(string revisionPath)
    {
        var start = Start(["cat-file", "blob", revisionPath]);
        using var git = Process.Start(start)!;
        using var memory = new MemoryStream();
        git.StandardOutput.BaseStream.CopyTo(memory);
        git.WaitForExit();
        return memory.ToArray();
    }

    private static (string Path, Entry Entry) Parse(string line)
    {
        var (meta, path) = (line.Split('\t')[0], line.Split('\t', 2)[1]);
        var parts = meta.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (path, new Entry(parts[0], parts[1], parts[2]));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private (int ExitCode, string Output) Run(byte[]? input, string[] args)
    {
        using var git = Process.Start(Start(args))!;
        if (input is not null) git.StandardInput.BaseStream.Write(input);
        git.StandardInput.Close();
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        return (git.ExitCode, output);
    }

    private ProcessStartInfo Start(string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["GIT_DIR"] = Path;
        foreach (var (k, v) in new[] { ("GIT_AUTHOR_NAME", "runner"), ("GIT_AUTHOR_EMAIL", "runner@example.com"), ("GIT_COMMITTER_NAME", "runner"), ("GIT_COMMITTER_EMAIL", "runner@example.com") })
            start.Environment[k] = v;
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return start;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
