using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Core.Planning;
using Runner.Core.Reporting;
using Runner.Torch;
using Runner.Torch.Models;

namespace Runner.Cli;

/// <summary>An experiment file loaded and checked, with everything planning needs.</summary>
public sealed record Session(ExperimentSpec Spec, ReportTemplates Templates, (string Digest, int Files) Dataset)
{
    public const string CacheDirectory = ".runner/cache";

    /// <summary>Parses and validates; every problem becomes a <see cref="ConfigException"/> (exit 2).</summary>
    public static Session Load(string file)
    {
        var spec = new ExperimentLoader(ArchRegistry.Default).Load(file);
        var templates = ReportTemplates.Load(spec.Report);
        try
        {
            return new Session(spec, templates, DatasetScanner.Fingerprint(spec.Dataset));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new ConfigException([new ConfigError(file, 0, 0, $"dataset: {e.Message}")]);
        }
    }

    public TaskGraph Plan(TorchRuntime runtime) =>
        Planner.Plan(Spec, new PlanInputs(Dataset.Digest, Dataset.Files, runtime.HardwareFingerprint(), Templates.Digest));

    public static CacheStore OpenCache() => new(CacheDirectory);
}
