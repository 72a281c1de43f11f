using Runner.Core.Evaluation;

namespace Runner.Core.Config;

/// <summary>The <c>evaluation</c> section: <c>evaluation: { tta: hflip | none }</c> (default none).</summary>
internal static class EvaluationReader
{
    public static readonly string[] Keys = ["tta"];

    public static EvaluationSpec Read(YamlMap? map) =>
        map is null ? EvaluationSpec.Default : new EvaluationSpec(map.OneOf("tta", TestTimeAugmentation.All) ?? TestTimeAugmentation.None);
}
