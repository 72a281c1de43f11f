using Runner.Core.Config;

namespace Runner.Core.Planning.Kinds;

/// <param name="Variant">Where <c>matrix</c> or <c>repeats</c> made it one variant of an entry of <c>backbones</c>; null otherwise.</param>
internal sealed record ReportBackbone(string Name, string Arch, string Weights, int ImageSize, int BatchSize, int Seed, VariantInfo? Variant)
{
    /// <summary>The variant whose time task times this one (the first seed of its repeat group, else itself).</summary>
    public string TimedBy => Variant?.TimedBy ?? Name;
}
