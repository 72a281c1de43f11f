using System.Text.Json.Serialization;
using Runner.Core.Config;

namespace Runner.Core.Planning.Kinds;

/// <summary><c>features</c>' parameters.</summary>
public sealed record FeaturesParams(string Arch, int ImageSize, int BatchSize, string Pool = "penultimate")
{
    /// <summary>Where the images lie on this machine; not part of the key (the data dependency's key covers what they are).</summary>
    [JsonIgnore]
    public DatasetSpec Dataset { get; init; } = null!;
}
