namespace Runner.Core.Util;

/// <summary>Paths with every symbolic link resolved, as the kernel would follow them (POSIX realpath).</summary>
internal static class RealPath
{
    /// <summary>
    /// The absolute path with each existing component's symbolic links resolved; components that do not exist yet are kept
    /// as written. Throws <see cref="IOException"/> on a link cycle (ELOOP).
    /// </summary>
    public static string Of(string path)
    {
        var hops = 0;
        return Of(path, ref hops);
    }

    private static string Of(string path, ref int hops)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = new FileInfo(next);
            if (info.LinkTarget is not null)
            {
                if (++hops > 40) throw new IOException($"{path}: too many levels of symbolic links");
                var target = info.ResolveLinkTarget(returnFinalTarget: true)
                    ?? throw new IOException($"{path}: cannot resolve the symbolic link {next}");
                next = Of(target.FullName, ref hops);
            }
            current = next;
        }
        return current;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies inside it (both absolute and resolved).</summary>
    public static bool IsWithin(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
