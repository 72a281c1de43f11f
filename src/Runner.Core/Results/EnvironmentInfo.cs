namespace Runner.Core.Results;

public sealed record EnvironmentInfo(string Device, string DeviceName, int Threads, string Torchsharp, string Libtorch, string? Commit = null)
{
    /// <summary>GPU driver version (nvidia-smi); null on the CPU and in older entries.</summary>
    public string? Driver { get; init; }
    /// <summary>CUDA runtime and cuDNN versions libtorch loaded; null on the CPU, in older entries, and when they could not be read.</summary>
    public string? Cuda { get; init; }
    public string? Cudnn { get; init; }
}
