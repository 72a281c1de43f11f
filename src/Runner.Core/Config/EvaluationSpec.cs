namespace Runner.Core.Config;

/// <summary><c>evaluation: { tta: none | hflip }</c>.</summary>
public sealed record EvaluationSpec(string Tta)
{
    public static readonly EvaluationSpec Default = new("none");
}
