using System.Text.Json;
using Runner.Core.Cache;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Core.Machines;

/// <summary>
/// Trainings are reused on any machine (their metrics do not depend on it beyond float noise), so their times can come
/// from another machine. These are the cached train tasks that did: <c>run --retime</c> trains them again here (and
/// what depends on them), and a plain run says how many there are.
/// </summary>
public static class Retime
{
    /// <summary>The cached train tasks of <paramref name="graph"/> whose train.json names another machine, or none.</summary>
    public static IReadOnlyList<string> TrainedElsewhere(TaskGraph graph, CacheStore cache, Machine machine) =>
        graph.Tasks.Where(t => t.Kind == TrainKind.Name && cache.Find(t.Key) is { } entry && MachineOf(entry) != machine.Id)
            .Select(t => (string)t.Id).ToList();

    private static string? MachineOf(CacheEntry entry)
    {
        try
        {
            return Json.Read<TrainResult>(entry.PathOf(TrainResult.FileName)).Machine?.Id;
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException)
        {
            return null; // unreadable: the run itself will find the entry damaged and train again
        }
    }
}
