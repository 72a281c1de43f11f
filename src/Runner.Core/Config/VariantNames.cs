namespace Runner.Core.Config;

/// <summary>How variant names are formed: <c>BASE[.LABELVALUE…][.seedN]</c>, e.g. <c>resnet18.lr3e-3.size224.seed2</c>.</summary>
internal static class VariantNames
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
