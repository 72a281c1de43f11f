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

/// <summary>One swept setting: its key as written (<c>optimizer.lr</c>) and value (a number or a name).</summary>
public sealed record SweptValue(string Key, object Value);

/// <summary>How variant names are formed: <c>BASE[.LABELVALUE…][.seedN]</c>, e.g. <c>resnet18.lr3e-3.size224.seed2</c>.</summary>
public static class VariantNames
{
    public static string WithSeed(string group, int seed) => $"{group}.seed{seed}";

    /// <summary>A number as it appears in a name: integers as is, small or large magnitudes as <c>3e-3</c>, others shortest round-trip (<c>0.1</c>).</summary>
    public static string Number(double value)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (value == Math.Floor(value) && Math.Abs(value) < 1e5) return ((long)value).ToString(inv);
        var magnitude = Math.Abs(value);
        if (magnitude is >= 1e-2 and < 1e5) return value.ToString("R", inv);
        var exponent = (int)Math.Floor(Math.Log10(magnitude));
        var mantissa = Math.Round(value / Math.Pow(10, exponent), 10);
        return $"{mantissa.ToString("R", inv)}e{exponent.ToString(inv)}";
    }

    /// <summary>The variant's backbone (runner's view of <see cref="BackboneSpec"/>): the variant that times it.</summary>
    public static string TimedBy(this BackboneSpec b) => b.Variant?.TimedBy ?? b.Name;

    /// <summary>The repeat group a backbone belongs to (its own name when it is not repeated).</summary>
    public static string RepeatGroup(this BackboneSpec b) => b.Variant?.Group ?? b.Name;
}
