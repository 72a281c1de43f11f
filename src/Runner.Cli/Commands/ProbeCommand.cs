using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Runner.Core.Config;
using Runner.Core.Estimation;
using Runner.Core.Util;
using Runner.Torch;
using Runner.Torch.Estimation;
using Runner.Torch.Models;

namespace Runner.Cli.Commands;

/// <summary>
/// <c>runner probe FILE --backbone NAME</c> (hidden): one throughput probe in a process of its own, printed as JSON.
/// <c>plan --estimate</c> and <c>run --budget</c> run every probe this way so that each peak memory is the probe's own: in
/// one process, the heap <c>HeapRetention</c> keeps at its peak (and on CUDA the caching allocator) would carry the
/// earlier probes' memory into the later ones' figures.
/// </summary>
internal static class ProbeCommand
{
    private const string Name = "probe";

    public static Command Create()
    {
        var file = CommandLine.FileArgument();
        var backbone = new Option<string>("--backbone") { Description = "The backbone to probe", Required = true };
        var command = new Command(Name, "Measure one backbone's throughput probe in this process and print it as JSON (used by plan --estimate)")
        {
            file, backbone, RunCommand.Device, RunCommand.Threads,
        };
        command.Hidden = true;
        command.SetAction(p => CommandLine.Guard(() =>
        {
            var spec = ExperimentFile.Load(p.GetValue(file)!);
            var name = p.GetValue(backbone)!;
            var chosen = spec.Backbones.FirstOrDefault(b => b.Name == name)
                ?? throw new UsageException($"--backbone {name}: not in {p.GetValue(file)}");
            var runtime = TorchRuntime.Start(p.GetValue(RunCommand.Device)!, p.GetValue(RunCommand.Threads));
            Console.WriteLine(JsonSerializer.Serialize(ThroughputProber.Measure(runtime, ArchRegistry.Default, chosen), Json.Options));
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// The probe of <paramref name="backbone"/> of <paramref name="file"/>, measured by a child <c>runner probe</c> on this
    /// runtime's device with its threads; throws when it fails or measured on another machine.
    /// </summary>
    public static Probe InChild(string file, BackboneSpec backbone, TorchRuntime runtime)
    {
        var machine = runtime.Machine();
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(ProbeCommand).Assembly.Location);
        var threads = machine.Threads.ToString(CultureInfo.InvariantCulture);
        string[] args = [Name, file, "--backbone", backbone.Name, "--device", machine.Device, "--threads", threads];
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var child = Process.Start(start)!;
        var error = child.StandardError.ReadToEndAsync();
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
            throw new InvalidOperationException($"the throughput probe of {backbone.Name} failed (exit {child.ExitCode}): {error.Result.Trim()}");
        var probe = JsonSerializer.Deserialize<Probe>(output, Json.Options)
            ?? throw new InvalidOperationException($"the throughput probe of {backbone.Name} printed nothing");
        return probe.Machine == machine.Id ? probe
            : throw new InvalidOperationException(
                $"the throughput probe of {backbone.Name} ran on machine {probe.Machine}, not on this one ({machine.Id})");
    }
}
