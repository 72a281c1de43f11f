using System.Globalization;
using Runner.Core.Execution;

namespace Runner.Torch.Devices;

/// <summary><c>--devices</c>: <c>all</c> (every visible GPU, the default) or a list of CUDA indices such as <c>0,2,3</c>.</summary>
public static class DeviceSelection
{
    public const string All = "all";

    /// <summary>The chosen CUDA indices among <paramref name="available"/> GPUs; without a GPU, [0] standing for the CPU.</summary>
    public static IReadOnlyList<int> Parse(string spec, int available)
    {
        if (spec == All) return available == 0 ? [0] : Enumerable.Range(0, available).ToList();
        if (available == 0)
            throw new InvalidInputException(
                $"--devices {spec}: there is no CUDA device to choose from (run with --device cuda on the CUDA build, or leave --devices out)");
        var indices = new List<int>();
        foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                throw new InvalidInputException($"--devices '{spec}': expected 'all' or GPU indices such as 0,2,3");
            if (index >= available)
                throw new InvalidInputException(
                    $"--devices {spec}: GPU {index} does not exist; this machine shows {available} (0 to {available - 1})");
            if (indices.Contains(index)) throw new InvalidInputException($"--devices {spec}: GPU {index} is listed twice");
            indices.Add(index);
        }
        return indices;
    }
}
