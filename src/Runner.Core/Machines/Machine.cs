using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Runner.Core.Planning;
using Runner.Core.Util;

namespace Runner.Core.Machines;

/// <summary>
/// The hardware and native stack a figure was measured on: part of every time task's key (a new machine times again),
/// recorded in train.json and timing.json, and listed in results.json's <c>machines</c>, which measured records name by
/// <see cref="Id"/>.
/// </summary>
/// <param name="Device"><c>cpu</c> or <c>cuda</c>: where the tensors ran.</param>
/// <param name="DeviceName">The GPU's name, or the CPU model on the CPU.</param>
/// <param name="Cpu">The CPU model (<c>/proc/cpuinfo</c>), also on a GPU machine.</param>
/// <param name="Cores">Logical processors this process may use.</param>
/// <param name="Threads">libtorch's intra-op threads (<c>--threads</c>).</param>
/// <param name="Backend">Which libtorch build runner was built with: <c>cpu</c> or <c>cuda</c>.</param>
public sealed record Machine(string Device, string DeviceName, string Cpu, int Cores, int Threads, string Libtorch, string Torchsharp, string Backend)
{
    /// <summary>GPU driver version (nvidia-smi); null on the CPU.</summary>
    public string? Driver { get; init; }

    /// <summary>CUDA runtime and cuDNN versions libtorch loaded; null on the CPU and when they could not be read.</summary>
    public string? Cuda { get; init; }

    public string? Cudnn { get; init; }

    /// <summary>The first 12 hex digits of SHA-256 over every other field (canonical JSON): equal machines, equal ids.</summary>
    public string Id => CanonicalJson.Sha256(ToJson())[..12];

    /// <summary>
    /// How the report names it: <c>AMD EPYC 7B13, 2 cores, 1 thread</c>, or
    /// <c>NVIDIA H100 (driver 570.86, CUDA 12.1, cuDNN 9.1.0) on AMD EPYC 7B13, 16 cores, 16 threads</c>.
    /// </summary>
    public string Describe()
    {
        var threads = Threads == 1 ? "1 thread" : $"{Threads.ToString(CultureInfo.InvariantCulture)} threads";
        var cpu = $"{Cpu}, {Cores.ToString(CultureInfo.InvariantCulture)} cores";
        if (Device == "cpu") return $"{cpu}, {threads}";
        string?[] parts = [Driver is null ? null : $"driver {Driver}", Cuda is null ? null : $"CUDA {Cuda}", Cudnn is null ? null : $"cuDNN {Cudnn}"];
        var versions = parts.OfType<string>().ToList();
        return $"{DeviceName}{(versions.Count > 0 ? $" ({string.Join(", ", versions)})" : "")} on {cpu}, {threads}";
    }

    /// <summary>The key form: this record as snake_case JSON without <see cref="Id"/>.</summary>
    public JsonObject ToJson() => (JsonObject)JsonSerializer.SerializeToNode(this, WithoutId)!;

    private static readonly JsonSerializerOptions WithoutId = new(Json.Options)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    if (info.Type != typeof(Machine)) return;
                    var id = info.Properties.Single(p => p.Name == "id");
                    info.Properties.Remove(id);
                },
            },
        },
    };
}
