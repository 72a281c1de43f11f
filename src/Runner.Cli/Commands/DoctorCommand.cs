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
            var env = runtime.Environment();
            Console.WriteLine($"TorchSharp    {env.Torchsharp}");
            Console.WriteLine($"libtorch      {env.Libtorch}");
            Console.WriteLine($"OpenCV        {TorchRuntime.OpenCvVersion}");
            Console.WriteLine($"device        {env.Device}: {env.DeviceName}");
            Console.WriteLine($"threads       {env.Threads} intra-op, {torch.get_num_interop_threads()} inter-op");
            Console.WriteLine($"CUDA          {(torch.cuda.is_available() ? $"available, {torch.cuda.device_count()} device(s)" : "not available")}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
