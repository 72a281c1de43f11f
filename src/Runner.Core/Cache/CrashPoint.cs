using System.Collections.Concurrent;
using System.Diagnostics;

namespace Runner.Core.Cache;

/// <summary>
/// Test hook for the kill -9 campaign (bench/kill9.sh): <c>RUNNER_TEST_KILL_AT=NAME[:N]</c> makes the process SIGKILL
/// itself the N-th time (default 1st) it reaches the named point, e.g. between writing an entry's manifest and renaming
/// the entry into place, where a timer-driven kill would rarely land.
/// </summary>
internal static class CrashPoint
{
    private static readonly string? Target = Environment.GetEnvironmentVariable("RUNNER_TEST_KILL_AT");
    private static readonly ConcurrentDictionary<string, int> Hits = new();

    public static void Hit(string name)
    {
        if (Target is null) return;
        var parts = Target.Split(':');
        if (parts[0] != name) return;
        var nth = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
        if (Hits.AddOrUpdate(name, 1, (_, n) => n + 1) == nth) Process.GetCurrentProcess().Kill();
    }
}
