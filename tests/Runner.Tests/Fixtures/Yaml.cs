using System.Text.Json.Nodes;
using Runner.Core.Config;
using Runner.Core.Planning;
using Runner.Cli;

namespace Runner.Tests.Fixtures;

internal static class Yaml
{
    /// <summary>Joins lines with \n so line numbers in tests are exactly the list positions (1-based).</summary>
    public static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    public static ExperimentSpec Parse(string yaml, IArchCatalog? archs = null) =>
        new ExperimentLoader(archs ?? new FakeArchCatalog()).Parse(yaml, "exp.yaml");

    public static ConfigException Fails(string yaml, IArchCatalog? archs = null) =>
        Assert.Throws<ConfigException>(() => Parse(yaml, archs));

    /// <summary>A valid two-backbone experiment on a folder dataset.</summary>
    public static string Basic(string datasetPath, int mobilenetEpochs = 1) => Lines(
        "name: exp",
        "dataset:",
        "  kind: folder",
        $"  path: {datasetPath}",
        "augmentations:",
        "  light:",
        "    - hflip: { p: 0.5 }",
        "defaults:",
        "  epochs: 1",
        "  augment: light",
        "backbones:",
        "  - resnet18",
        $"  - {{ name: mobilenet_v2, epochs: {mobilenetEpochs} }}");

    /// <summary>The plan every registered kind makes of <paramref name="spec"/> (<see cref="Inputs"/> unless given).</summary>
    public static TaskGraph Plan(ExperimentSpec spec, PlanInputs? inputs = null) => Planner.Plan(spec, inputs ?? Inputs(), TaskKindRegistry.Kinds);

    public static PlanInputs Inputs(string device = "cpu") =>
        new("dataset-digest", 42, new JsonObject { ["device"] = device, ["threads"] = 4 }, "template-digest");
}
