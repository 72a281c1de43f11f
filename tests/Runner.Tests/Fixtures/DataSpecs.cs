using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Core.Execution;
using Runner.Torch.Data;

namespace Runner.Tests.Fixtures;

internal static class DataSpecs
{
    public static readonly SplitSpec Split = new(0.25, 0.25, true, 1);

    public static DatasetSpec Folder(string path, string onBadImage = BadImagePolicy.Fail, string? predict = null) =>
        new(DatasetKinds.Folder, path, null, null, Split) { OnBadImage = onBadImage, Predict = predict };

    public static DatasetSpec Pattern(string path, params (string Class, string Pattern)[] labels) =>
        new(DatasetKinds.FilenamePattern, path, null, null, Split) { Labels = labels.Select(l => new LabelPattern(l.Class, l.Pattern)).ToList() };

    public static DatasetSpec Csv(string path, IReadOnlyList<string>? classes = null) =>
        new(DatasetKinds.Csv, path, classes, null, Split);

    /// <summary>The data task's manifest with the OpenCV image check, as <c>runner run</c> wires it.</summary>
    public static SplitManifest Build(DatasetSpec spec) => new DataExecutor(new ImageCheck()).Build(spec);

    public static InvalidInputException Fails(DatasetSpec spec) => Assert.Throws<InvalidInputException>(() => Build(spec));
}
