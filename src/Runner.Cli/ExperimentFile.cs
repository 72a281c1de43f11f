using Runner.Core.Config;
using Runner.Torch.Models;

namespace Runner.Cli;

/// <summary>The one way the commands read an experiment file: against the built-in architectures unless told otherwise.</summary>
internal static class ExperimentFile
{
    /// <param name="checkDatasetPaths">False where the data is not needed yet (fetching weights).</param>
    public static ExperimentSpec Load(string file, ArchRegistry? archs = null, bool checkDatasetPaths = true) =>
        new ExperimentLoader(archs ?? ArchRegistry.Default) { CheckDatasetPaths = checkDatasetPaths }.Load(file);
}
