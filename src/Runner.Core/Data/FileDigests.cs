using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Runner.Core.Util;

namespace Runner.Core.Data;

/// <summary>
/// SHA-256 of file contents, remembered in a memo under the runner home by (size, modification and change times,
/// device, inode), as git's index does: a file is read again only when one of them changes, so an unchanged file costs
/// a <c>stat</c>, and a <c>touch</c>ed or copied one a single read that yields the same digest. The change time
/// (which no one can set) catches a rewrite that restored size and modification time. One memo per folder (<c>memo/&lt;hash of the folder&gt;.tsv</c>),
/// replaced by an atomic rename; a memo that cannot be read or written only costs re-reading.
/// </summary>
public static class FileDigests
{
    public const string Missing = "missing";
    public const string Unreadable = "unreadable";

    /// <summary>The content digest of each path (or <see cref="Missing"/> / <see cref="Unreadable"/>), in order; files are read in parallel.</summary>
    public static string[] Of(IReadOnlyList<string> paths)
    {
        var memoDirectory = RunnerHome.Memo;
        var full = paths.Select(Path.GetFullPath).ToArray();
        var memos = full.Select(p => Path.GetDirectoryName(p)!).Distinct(StringComparer.Ordinal)
            .ToDictionary(folder => folder, folder => FolderMemo.Load(memoDirectory, folder), StringComparer.Ordinal);
        var digests = new string[full.Length];
        Parallel.For(0, full.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => digests[i] = memos[Path.GetDirectoryName(full[i])!].Digest(Path.GetFileName(full[i])));
        foreach (var memo in memos.Values) memo.SaveIfChanged();
        return digests;
    }

    private readonly record struct Stamp(long Size, long ModifiedNs, long ChangedNs, ulong Device, ulong Inode)
    {
        public override string ToString() => $"{Size}\t{ModifiedNs}\t{ChangedNs}\t{Device}\t{Inode}";
    }

    private sealed class FolderMemo(string file, string folder, Dictionary<string, (Stamp Stamp, string Digest)> known)
    {
        private const string Header = "runner-digests v1\t";
        private readonly ConcurrentDictionary<string, (Stamp Stamp, string Digest)> _fresh = new(StringComparer.Ordinal);

        public static FolderMemo Load(string memoDirectory, string folder)
        {
            var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(folder)))[..32] + ".tsv";
            var file = Path.Combine(memoDirectory, name);
            var known = new Dictionary<string, (Stamp, string)>(StringComparer.Ordinal);
            try
            {
                using var reader = new StreamReader(file, Encoding.UTF8);
                if (reader.ReadLine() == Header + folder)
                    while (reader.ReadLine() is { } line)
                    {
                        var f = line.Split('\t');
                        if (f.Length == 7 && long.TryParse(f[1], out var size) && long.TryParse(f[2], out var modified) && long.TryParse(f[3], out var changed)
                            && ulong.TryParse(f[4], out var device) && ulong.TryParse(f[5], out var inode))
                            known[f[0]] = (new Stamp(size, modified, changed, device, inode), f[6]);
                    }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // no memo yet (or unreadable): every file is read
            }
            return new FolderMemo(file, folder, known);
        }

        public string Digest(string name)
        {
            var path = Path.Combine(folder, name);
            if (StampOf(path) is not { } stamp)
                return File.Exists(path) || new FileInfo(path).LinkTarget is not null ? Unreadable : Missing;
            if (known.TryGetValue(name, out var memo) && memo.Stamp == stamp) return memo.Digest;
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
                var digest = Convert.ToHexStringLower(SHA256.HashData(stream));
                if (StampOf(path) == stamp) _fresh[name] = (stamp, digest); // not remembered if it changed while being read
                return digest;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Unreadable;
            }
        }

        public void SaveIfChanged()
        {
            if (_fresh.IsEmpty) return;
            foreach (var (name, entry) in _fresh) known[name] = entry;
            var text = new StringBuilder(Header).Append(folder).Append('\n');
            foreach (var (name, entry) in known.OrderBy(k => k.Key, StringComparer.Ordinal))
                if (!name.Contains('\t') && !name.Contains('\n') && (_fresh.ContainsKey(name) || File.Exists(Path.Combine(folder, name))))
                    text.Append(name).Append('\t').Append(entry.Stamp).Append('\t').Append(entry.Digest).Append('\n');
            var temporary = $"{file}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(temporary, text.ToString());
                File.Move(temporary, file, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                File.Delete(temporary); // a memo that cannot be written only costs re-reading next time
            }
        }
    }

    /// <summary>(size, mtime and ctime in ns, device, inode) from stat(2); null when the file does not exist or is not a regular file.</summary>
    private static Stamp? StampOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            var info = new FileInfo(path);
            return info.Exists ? new Stamp(info.Length, info.LastWriteTimeUtc.Ticks * 100, 0, 0, 0) : null;
        }
        return UnixStat.Of(path) is { IsRegularFile: true } stat
            ? new Stamp(stat.Size, stat.ModifiedNs, stat.ChangedNs, stat.Device, stat.Inode)
            : null;
    }
}
