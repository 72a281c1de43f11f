using Runner.Core.Machines;

namespace Runner.Core.Results;

/// <summary>
/// results.json's <c>environment</c>: the machine that timed the backbones (and planned the run), as results.json
/// described it before <c>machines</c> listed every machine; <see cref="Machine"/> names its entry there.
/// </summary>
internal sealed record EnvironmentInfo(string Device, string DeviceName, int Threads, string Torchsharp, string Libtorch, string? Commit = null)
{
    /// <summary>GPU driver version (nvidia-smi); null on the CPU and in older entries.</summary>
    public string? Driver { get; init; }
    /// <summary>CUDA runtime and cuDNN versions libtorch loaded; null on the CPU, in older entries, and when they could not be read.</summary>
    public string? Cuda { get; init; }
    public string? Cudnn { get; init; }
    /// <summary><see cref="Machines.Machine.Id"/> of this machine in results.json's <c>machines</c>; null in results written before them.</summary>
    public string? Machine { get; init; }

    public static readonly EnvironmentInfo Unknown = new("unknown", "unknown", 0, "", "");

    /// <summary>The CPU's model and core count (<c>AMD EPYC 7B13 ×2</c>) or the GPU's name, as <c>device_name</c> always read.</summary>
    public static EnvironmentInfo Of(Machine m) =>
        new(m.Device, m.Device == "cpu" ? $"{m.Cpu} ×{m.Cores}" : m.DeviceName, m.Threads, m.Torchsharp, m.Libtorch)
    {
        Driver = m.Driver,
        Cuda = m.Cuda,
        Cudnn = m.Cudnn,
        Machine = m.Id,
    };
}
