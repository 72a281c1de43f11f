using Runner.Core.Config;

namespace Runner.Core.Planning.Kinds;

/// <summary>
/// The dataset section as the data key sees it: every setting of <see cref="DatasetSpec"/> but its folders, so the same
/// files under ./data, <c>$RUNNER_DATA</c> or another checkout give the same key (the folders come from the
/// <see cref="Execution.TaskEnvironment"/>).
/// </summary>
internal sealed record DatasetSettings(
    string Kind, IReadOnlyList<string>? Classes, IReadOnlyList<string>? ClassNames, SplitSpec Split, IReadOnlyList<LabelPattern>? Labels,
    bool HasPredict, string OnBadImage, bool AllowOutsidePaths)
{
    public static DatasetSettings Of(DatasetSpec d) =>
        new(d.Kind, d.Classes, d.ClassNames, d.Split, d.Labels, d.Predict is not null, d.OnBadImage, d.AllowOutsidePaths);

    /// <summary>These settings on the folders of <paramref name="located"/> (the experiment's dataset as found on this machine).</summary>
    public DatasetSpec At(DatasetSpec located) => located with
    {
        Kind = Kind, Classes = Classes, ClassNames = ClassNames, Split = Split, Labels = Labels, OnBadImage = OnBadImage,
        AllowOutsidePaths = AllowOutsidePaths,
    };
}
