using Runner.Core.Cache;
using Runner.Core.Execution;
using Runner.Core.Planning;
using static Runner.Tests.Core.Execution.Graphs;

namespace Runner.Tests.Core.Execution;

/// <summary>Resource classes: CPU tasks share --jobs, device tasks take the device slot, timing runs alone.</summary>
public sealed class SchedulerTests : IDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(300);
    private readonly SchedulingRig _rig = new(Step, "data", "ensemble", "train", "eval", "time", "report", "features");

    public void Dispose() => _rig.Dispose();

    private static readonly TaskGraph FourCpuTasks =
        Of(T("data:a"), T("ensemble:a", "data:a"), T("ensemble:b", "data:a"), T("ensemble:c", "data:a"), T("ensemble:d", "data:a"));

    [Fact]
    public void Cpu_tasks_run_in_parallel_up_to_jobs()
    {
        var result = _rig.Run(FourCpuTasks, new EngineOptions { Jobs = 2 });

        Assert.True(result.Succeeded);
        Assert.Equal(2, _rig.MostAtOnce("ensemble:"));
    }

    [Fact]
    public void One_job_runs_tasks_one_at_a_time()
    {
        _rig.Run(FourCpuTasks, new EngineOptions { Jobs = 1 });
        Assert.Equal(1, _rig.MostAtOnce());
    }

    [Fact]
    public void Device_tasks_take_one_device_slot_whatever_the_jobs()
    {
        var graph = Of(T("data:a"), T("train:a", "data:a"), T("train:b", "data:a"), T("features:c", "data:a"), T("ensemble:x", "data:a"));

        _rig.Run(graph, new EngineOptions { Jobs = 4 });

        // never two device tasks at once, the kind without a class of its own (features) included
        var device = _rig.Intervals.Where(i => i.Id.StartsWith("train:", StringComparison.Ordinal) || i.Id.StartsWith("features:", StringComparison.Ordinal)).OrderBy(i => i.Start).ToList();
        Assert.All(device.Zip(device.Skip(1)), p => Assert.True(p.Second.Start >= p.First.End, $"{p.First.Id} and {p.Second.Id} overlap"));
        // the CPU task ran alongside a device task
        var ensemble = _rig.Intervals.Single(i => i.Id == "ensemble:x");
        Assert.Contains(device, d => d.Start < ensemble.End && ensemble.Start < d.End);
    }

    [Fact]
    public void More_device_slots_allow_device_tasks_together()
    {
        _rig.Run(Of(T("train:a"), T("train:b"), T("train:c")), new EngineOptions { Jobs = 4, DeviceSlots = 2 });
        Assert.Equal(2, _rig.MostAtOnce("train:"));
    }

    [Fact]
    public void Device_tasks_are_pinned_one_per_gpu_so_every_listed_gpu_trains_at_once()
    {
        var graph = Of(T("data:a"), T("train:a", "data:a"), T("train:b", "data:a"), T("train:c", "data:a"), T("eval:a", "train:a"),
            T("eval:b", "train:b"), T("eval:c", "train:c"), T("ensemble:x", "data:a"));

        var result = _rig.Run(graph, new EngineOptions { Jobs = 8, Devices = [0, 2, 3] });

        Assert.True(result.Succeeded);
        var device = _rig.Intervals
            .Where(i => i.Id.StartsWith("train:", StringComparison.Ordinal) || i.Id.StartsWith("eval:", StringComparison.Ordinal)).ToList();
        Assert.All(device, d => Assert.Contains(_rig.DeviceOf[d.Id], new int?[] { 0, 2, 3 }));
        foreach (var a in device)
            foreach (var b in device.Where(b => b.Id != a.Id && _rig.DeviceOf[b.Id] == _rig.DeviceOf[a.Id]))
                Assert.False(a.Start < b.End && b.Start < a.End, $"{a.Id} and {b.Id} ran at once on GPU {_rig.DeviceOf[a.Id]}");
        Assert.Equal(3, _rig.MostAtOnce("train:"));
        Assert.Null(_rig.DeviceOf["ensemble:x"]);
        Assert.Null(_rig.DeviceOf["data:a"]);
    }

    [Fact]
    public void Device_jobs_are_per_gpu()
    {
        _rig.Run(Of(T("train:a"), T("train:b"), T("train:c"), T("train:d"), T("train:e")),
            new EngineOptions { Jobs = 8, DeviceSlots = 2, Devices = [1, 4] });

        Assert.Equal(4, _rig.MostAtOnce("train:"));
        var trains = _rig.Intervals.ToList();
        foreach (var gpu in new[] { 1, 4 })
        {
            var on = trains.Where(t => _rig.DeviceOf[t.Id] == gpu).ToList();
            Assert.True(on.Max(a => on.Count(b => b.Start <= a.Start && a.Start < b.End)) <= 2, $"more than two tasks at once on GPU {gpu}");
        }
    }

    [Fact]
    public void Timing_gets_the_machine_to_itself_on_the_first_listed_gpu()
    {
        var graph = Of(T("train:a"), T("time:a", "train:a"), T("train:b"), T("train:c"), T("train:d"));

        _rig.Run(graph, new EngineOptions { Jobs = 8, Devices = [2, 0] });

        var time = _rig.Intervals.Single(i => i.Id == "time:a");
        Assert.Equal(2, _rig.DeviceOf["time:a"]);
        Assert.All(_rig.Intervals.Where(o => o.Id != "time:a"),
            o => Assert.False(o.Start < time.End && time.Start < o.End, $"{o.Id} ran while time:a measured"));
        Assert.Equal(2, _rig.MostAtOnce("train:"));
    }

    [Fact]
    public void Timing_runs_with_nothing_else_running()
    {
        var graph = Of(T("data:a"), T("train:a", "data:a"), T("time:a", "train:a"), T("train:b", "data:a"), T("time:b", "train:b"),
            T("ensemble:x", "data:a"), T("ensemble:y", "data:a"), T("report:r", "time:a", "time:b", "ensemble:x", "ensemble:y"));

        var result = _rig.Run(graph, new EngineOptions { Jobs = 4 });

        Assert.True(result.Succeeded);
        foreach (var time in _rig.Intervals.Where(i => i.Id.StartsWith("time:", StringComparison.Ordinal)))
            Assert.All(_rig.Intervals.Where(o => o.Id != time.Id), o =>
                Assert.False(o.Start < time.End && time.Start < o.End, $"{o.Id} ran while {time.Id} measured"));
        Assert.True(_rig.MostAtOnce() >= 2, "other tasks still ran in parallel");
    }

    [Fact]
    public void Fail_fast_starts_nothing_after_a_failure_but_keep_going_finishes_independent_branches()
    {
        var graph = Of(T("train:a"), T("eval:a", "train:a"), T("train:b"), T("eval:b", "train:b"));
        _rig.Executors["train"].FailFor.Add("train:a");

        var fast = _rig.Run(graph, new EngineOptions { KeepGoing = false }).Tasks.ToDictionary(t => t.Task.Id.ToString());

        Assert.Equal(Outcome.Failed, fast["train:a"].Outcome);
        Assert.Equal("skipped: train:a failed", fast["eval:a"].Error);
        Assert.Equal(Outcome.Skipped, fast["train:b"].Outcome);
        Assert.Equal("not started: train:a failed and --keep-going is off", fast["train:b"].Error);
        Assert.DoesNotContain(_rig.Intervals, i => i.Id == "train:b");

        var going = _rig.Run(graph).Tasks.ToDictionary(t => t.Task.Id.ToString());
        Assert.Equal(Outcome.Ran, going["eval:b"].Outcome);
        Assert.Equal(Outcome.Skipped, going["eval:a"].Outcome);
    }

    [Fact]
    public void Skipped_tasks_name_the_failure_that_caused_them_not_the_skipped_task_between()
    {
        var graph = Of(T("train:a"), T("eval:a", "train:a"), T("report:r", "eval:a"));
        _rig.Executors["train"].FailFor.Add("train:a");

        var report = _rig.Run(graph).Tasks.Single(t => t.Task.Id == "report:r");

        Assert.Equal("skipped: train:a failed", report.Error);
    }

    [Fact]
    public void Forced_tasks_execute_again_though_cached_and_the_others_stay_cached()
    {
        var graph = Of(T("train:a"), T("eval:a", "train:a"), T("train:b"));
        _rig.Run(graph);
        _rig.Intervals.Clear();

        var result = _rig.Run(graph, new EngineOptions { Force = TaskSelection.Forced(graph, ["train:a"]) }).Tasks.ToDictionary(t => t.Task.Id.ToString());

        Assert.Equal(Outcome.Ran, result["train:a"].Outcome);
        Assert.Equal(Outcome.Ran, result["eval:a"].Outcome);
        Assert.Equal(Outcome.Cached, result["train:b"].Outcome);
        Assert.Equal(["eval:a", "train:a"], _rig.Intervals.Select(i => i.Id.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_failed_task_names_its_own_log_file_holding_its_error()
    {
        var graph = Of(T("train:a"), T("train:b"));
        _rig.Executors["train"].FailFor.Add("train:a");

        var result = _rig.Run(graph, new EngineOptions { TaskLogDirectory = _rig.LogDirectory }).Tasks.ToDictionary(t => t.Task.Id.ToString());

        var failed = result["train:a"];
        Assert.Equal(Path.Combine(_rig.LogDirectory, "exp", "train_a.log"), failed.LogFile);
        var text = File.ReadAllText(failed.LogFile!);
        Assert.Contains("Running train:a", text);
        Assert.Contains("boom in train:a", text);
        Assert.DoesNotContain("train:b", text);
        Assert.Contains("Finished train:b", File.ReadAllText(result["train:b"].LogFile!));
    }

    [Fact]
    public void A_key_another_run_holds_is_waited_for_then_taken_from_the_cache()
    {
        var graph = Of(T("train:a"), T("eval:a", "train:a"));
        var train = graph["train:a"];
        FileLock? held = _rig.Cache.TryLock(train.Key, "the other run");
        Assert.NotNull(held);
        // the other run finishes train:a into the shared cache, then lets go
        var staging = _rig.Cache.BeginStaging(train.Key);
        File.WriteAllText(Path.Combine(staging, "out.txt"), "train:a");
        _ = Task.Run(() =>
        {
            Thread.Sleep(800);
            _rig.Cache.Commit(staging, new CacheManifest(train.Key, train.Id, train.Kind, train.Params, new Dictionary<string, string>(),
                Planner.RunnerVersion, DateTimeOffset.UtcNow, 0, []));
            held.Dispose();
        });

        var result = _rig.Run(graph).Tasks.ToDictionary(t => t.Task.Id.ToString());

        Assert.Equal(Outcome.Cached, result["train:a"].Outcome);
        Assert.Equal(Outcome.Ran, result["eval:a"].Outcome);
        Assert.DoesNotContain(_rig.Intervals, i => i.Id == "train:a");
    }
}
