using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Tests.Core.Reporting;

/// <summary>The fixed results.json the report tests render (three backbones, two ensembles) and a previous run to diff against.</summary>
internal static class ReportFixture
{
    private static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Reporting", file);

    public static ExperimentResults Current => Json.Read<ExperimentResults>(PathOf("results.json"));

    /// <summary>As <see cref="Current"/> but from an earlier run: mobilenet_v2 was 7.40 ms (beyond noise), mlnet_resnet18's
    /// accuracy 0.70 (beyond noise); a few other figures differ by less than their thresholds.</summary>
    public static string PreviousFile => PathOf("previous-results.json");
}
