namespace Runner.Core.Config;

/// <summary>
/// Where a backbone came from when <c>matrix</c> or <c>repeats</c> expanded one entry of <c>backbones</c> into several
/// (null on <see cref="BackboneSpec.Variant"/> when nothing did).
/// </summary>
/// <param name="Base">The name as written under <c>backbones</c> (<c>resnet18</c>).</param>
/// <param name="Group">The variant without its seed (<c>resnet18.lr3e-3</c>): repeats of one configuration share it; equals the name when there are no repeats.</param>
/// <param name="Swept">The matrix values of this variant, in the order their keys are written.</param>
/// <param name="Seeds">All seeds of the repeat group, in the order written; null without <c>repeats</c>.</param>
public sealed record VariantInfo(string Base, string Group, IReadOnlyList<SweptValue> Swept, IReadOnlyList<int>? Seeds)
{
    /// <summary>The variant whose time task times the whole repeat group (its first seed): timing does not depend on the seed.</summary>
    public string TimedBy => Seeds is { Count: > 0 } seeds ? VariantNames.WithSeed(Group, seeds[0]) : Group;
}
