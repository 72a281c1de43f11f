namespace Runner.Core.Results;

/// <summary>The GPU a task ran on: its CUDA index (as libtorch numbers the visible devices) and its name (nvidia-smi; null when unknown).</summary>
public sealed record GpuInfo(int Index, string? Name);
