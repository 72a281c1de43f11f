using System.Text.Json.Serialization;
using Runner.Core.Config;

namespace Runner.Core.Planning.Kinds;

/// <summary><c>eval</c>'s parameters; <paramref name="Tta"/> is <c>none</c> or <c>hflip</c>.</summary>
public sealed record EvalParams(string Arch, int ImageSize, int BatchSize, string Tta)
{
    /// <summary>Where the images lie on this machine; not part of the key (the data dependency's key covers what they are).</summary>
    [JsonIgnore]
    public DatasetSpec Dataset { get; init; } = null!;
}
