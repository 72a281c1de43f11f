namespace Runner.Core.Util;

/// <summary>
/// The files runner reads whole (weight files, templates, archives) must be regular files: a FIFO blocks the open, and a
/// device such as <c>/dev/zero</c> never ends. Checked with stat(2) before anything opens them.
/// </summary>
public static class RegularFile
{
    /// <summary>
    /// Why <paramref name="path"/> is not a regular file ("no such file", "is a folder", …; "is empty" unless
    /// <paramref name="emptyIsFine"/>), or null.
    /// </summary>
    public static string? Problem(string path, bool emptyIsFine = false)
    {
        if (Directory.Exists(path)) return "is a folder, not a file";
        if (!File.Exists(path)) return "no such file";
        if (UnixStat.Of(path) is { IsRegularFile: false }) return "is not a regular file (a device, FIFO or socket, which runner does not read)";
        return !emptyIsFine && new FileInfo(path).Length == 0 ? "is empty" : null;
    }
}
