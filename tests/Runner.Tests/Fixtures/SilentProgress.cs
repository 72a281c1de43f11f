using System.Text.Json.Nodes;
using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;

namespace Runner.Tests.Fixtures;

internal sealed class SilentProgress : IRunProgress, ITaskProgress
{
    public List<TaskOutcome> Ended { get; } = [];
    public ITaskProgress Begin(PlannedTask task) => this;
    public void End(TaskOutcome outcome) => Ended.Add(outcome);
    public void Update(double done, double total, string detail) { }
}
