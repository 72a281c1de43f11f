namespace Runner.Core.Util;

/// <summary>
/// The files runner reads whole (weight files, templates, report files to publish) must be regular files with content. A
/// FIFO blocks the open and a device such as <c>/dev/zero</c> never ends; both (and <c>/proc</c> files) report a size of
/// 0, which is what this checks before anything opens them.
/// </summary>
public static class RegularFile
{
    /// <summary>Why <paramref name="path"/> is not a non-empty regular file ("no such file", "is a folder", …), or null when it is.</summary>
    public static string? Problem(string path)
    {
        var info = new FileInfo(path);
        if (Directory.Exists(path)) return "is a folder, not a file";
        if (!info.Exists) return "no such file";
        return info.Length == 0 ? "is empty (or a device or FIFO, which runner does not read)" : null;
    }
}
