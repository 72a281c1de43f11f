using Runner.Core.Execution;
using Runner.Core.Planning;
using Spectre.Console;

namespace Runner.Cli.Progress;

/// <summary>Live bars (Spectre.Console) for an interactive terminal: one per running task, finished tasks listed above.</summary>
internal sealed class RichProgress(ProgressContext context) : IRunProgress
{
    private readonly Dictionary<string, ProgressTask> _bars = [];

    public static T Show<T>(Func<IRunProgress, T> work) =>
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => work(new RichProgress(ctx)));

    public ITaskProgress Begin(PlannedTask task)
    {
        var bar = context.AddTask(Markup.Escape(task.Id), maxValue: 1);
        _bars[task.Id] = bar;
        return new Bar(bar, task.Id);
    }

    public void End(TaskOutcome outcome)
    {
        if (_bars.Remove(outcome.Task.Id, out var bar)) bar.StopTask();
        var colour = outcome.Outcome switch { Outcome.Ran => "green", Outcome.Cached => "grey", _ => "red" };
        AnsiConsole.MarkupLine($"[{colour}]{Markup.Escape(PlainProgress.Describe(outcome))}[/]");
    }

    private sealed class Bar(ProgressTask bar, string id) : ITaskProgress
    {
        public void Update(double done, double total, string detail)
        {
            bar.MaxValue = total;
            bar.Value = done;
            bar.Description = Markup.Escape($"{id} {detail}");
        }
    }
}
