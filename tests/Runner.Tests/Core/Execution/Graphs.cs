using System.Text.Json.Nodes;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Cli;

namespace Runner.Tests.Core.Execution;

/// <summary>Hand-made task graphs ("kind:name" ids) and executors that record when each task ran.</summary>
internal static class Graphs
{
    /// <summary>Tasks in the given order; each (id, deps). The kind is the id's part before ':'.</summary>
    public static TaskGraph Of(params (string Id, string[] Deps)[] tasks) =>
        new("exp", tasks.Select(t => new PlannedTask(TaskId.Parse(t.Id), new JsonObject { ["id"] = t.Id }, t.Deps,
            CanonicalJson.Sha256(new JsonObject { ["id"] = t.Id, ["salt"] = Salt })) { Descriptor = KindOf(t.Id.Split(':')[0]) }).ToList());

    /// <summary>The registered kind of that name; another name is a kind that takes a device slot.</summary>
    private static ITaskKind KindOf(string kind) => TaskKindRegistry.Kinds.FirstOrDefault(k => k.Name == kind) ?? new DeviceKind(kind);

    private sealed record DeviceKind(string Name) : ITaskKind
    {
        public ResourceClass Resource => ResourceClass.Device;
        public int Revision => 1;
    }

    /// <summary>Keys differ between test classes' graphs only through their caches; one salt keeps them readable.</summary>
    private const string Salt = "scheduling-tests";

    public static (string, string[]) T(string id, params string[] deps) => (id, deps);
}
