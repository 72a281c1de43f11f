using System.Diagnostics;
using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Core.Util;

/// <summary>
/// <c>Runner.Bench fingerprint DIR</c>: the data key of a filename-pattern dataset in DIR, computed with an empty digest
/// memo (every file read and hashed), again with the memo warm (a stat per file), and after every file was touched
/// (new mtimes: each file read again, same key); beside it, listing and stat-ing the files, which is what the old size+mtime key cost.
/// The memo lives in $RUNNER_HOME/memo.
/// </summary>
internal static class FingerprintBench
{
    public static void Run(string folder)
    {
        var spec = new DatasetSpec(DatasetKinds.FilenamePattern, folder, null, null, new SplitSpec(0.1, 0.1, true, 42))
        {
            Labels = [new LabelPattern("cat", @"^cat\."), new LabelPattern("dog", @"^dog\.")],
        };
        var files = Directory.GetFiles(folder);
        var megabytes = files.Sum(f => new FileInfo(f).Length) / 1e6;
        if (Directory.Exists(RunnerHome.Memo)) Directory.Delete(RunnerHome.Memo, recursive: true);

        var (cold, key) = Time(() => DatasetScanner.Fingerprint(spec).Digest);
        var (warm, warmKey) = Time(() => DatasetScanner.Fingerprint(spec).Digest);
        var (stat, _) = Time(() => Directory.GetFiles(folder).Order(StringComparer.Ordinal).Count(f => new FileInfo(f) is { Exists: true } i
            && i.LastWriteTimeUtc.Ticks > 0));
        foreach (var f in files) File.SetLastWriteTimeUtc(f, DateTime.UtcNow);
        var (touched, touchedKey) = Time(() => DatasetScanner.Fingerprint(spec).Digest);

        Console.WriteLine($"{files.Length} files, {megabytes:0} MB, {Environment.ProcessorCount} cores; key {key[..12]}");
        Console.WriteLine($"cold memo (read + SHA-256 every file): {cold:0.000} s ({megabytes / cold:0} MB/s)");
        Console.WriteLine($"warm memo (stat every file):           {warm:0.000} s ({cold / warm:0.0}x faster than cold)");
        Console.WriteLine($"after touching every file:             {touched:0.000} s (read again; key {(touchedKey == key ? "unchanged" : "CHANGED")})");
        Console.WriteLine($"list + stat (old size+mtime key):      {stat:0.000} s (warm memo / this = {warm / stat:0.0})");
        if (warmKey != key || touchedKey != key) Environment.Exit(1);
    }

    private static (double Seconds, T Value) Time<T>(Func<T> body)
    {
        var clock = Stopwatch.StartNew();
        var value = body();
        return (clock.Elapsed.TotalSeconds, value);
    }
}
