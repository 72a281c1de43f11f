using System.CommandLine;
using System.Runtime.InteropServices;
using Runner.Core.Planning;
using Runner.Torch;
using TorchSharp;

namespace Runner.Cli.Commands;

/// <summary><c>runner doctor</c>: versions, device, threads and how TorchSharp's native library was made to load.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Show versions, device, threads and native compatibility status") { RunCommand.Device };
        command.SetAction(p => CommandLine.Guard(() =>
        {
            var describe = NativeCompat.NativeCompat.Describe(AppContext.BaseDirectory);
            Console.WriteLine($"runner        {Planner.RunnerVersion}");
            Console.WriteLine($".NET          {RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
            Console.WriteLine($"native compat {describe.Message}");
            var runtime = TorchRuntime.Start(p.GetValue(RunCommand.Device)!);
            var machine = runtime.Machine();
            Console.WriteLine($"TorchSharp    {machine.Torchsharp}");
            Console.WriteLine($"libtorch      {machine.Libtorch} ({machine.Backend} build)");
            Console.WriteLine($"OpenCV        {TorchRuntime.OpenCvVersion}");
            Console.WriteLine($"device        {machine.Device}: {machine.DeviceName}");
            Console.WriteLine($"CPU           {machine.Cpu}, {machine.Cores} cores");
            Console.WriteLine($"threads       {machine.Threads} intra-op, {torch.get_num_interop_threads()} inter-op");
            Console.WriteLine($"machine       {machine.Id} (the id results.json gives the figures measured here)");
            Console.WriteLine($"CUDA          {(torch.cuda.is_available() ? $"available, {torch.cuda.device_count()} device(s)" : "not available")}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
