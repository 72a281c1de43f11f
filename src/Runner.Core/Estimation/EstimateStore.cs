using System.Text.Json.Nodes;
using Runner.Core.Planning;
using Runner.Core.Util;

namespace Runner.Core.Estimation;

/// <summary>
/// Probes and corrections of one machine: <c>$RUNNER_HOME/estimates/HARDWARE.json</c>, HARDWARE being the digest of the
/// hardware fingerprint timing keys use (device, its name, driver, libtorch, threads), so each is measured once per machine.
/// Written whole and atomically; two runs refining at once may lose one refinement, never the file.
/// </summary>
public sealed class EstimateStore
{
    public sealed record Contents(JsonObject Hardware, Dictionary<string, Probe> Probes, Dictionary<string, Correction> Corrections);

    private readonly string _path;
    private readonly JsonObject _hardware;

    public EstimateStore(string root, JsonObject hardware)
    {
        _hardware = (JsonObject)hardware.DeepClone();
        _path = Path.Combine(root, CanonicalJson.Sha256(hardware)[..16] + ".json");
    }

    public static EstimateStore Default(JsonObject hardware) => new(Path.Combine(RunnerHome.Root(), "estimates"), hardware);

    public string Location => _path;

    public Contents Read()
    {
        try
        {
            if (File.Exists(_path) && Json.Read<Contents>(_path) is { Probes: not null, Corrections: not null } read) return read;
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException) { } // damaged: measure again
        return new Contents(_hardware, [], []);
    }

    public Probe? ProbeFor(string arch, int imageSize, int batchSize) => Read().Probes.GetValueOrDefault(Probe.KeyOf(arch, imageSize, batchSize));

    public Correction CorrectionFor(string arch) => Read().Corrections.GetValueOrDefault(arch) ?? Correction.None;

    public void SaveProbe(string arch, int imageSize, int batchSize, Probe probe) => Update(c => c.Probes[Probe.KeyOf(arch, imageSize, batchSize)] = probe);

    /// <summary>Folds one run's actual ÷ estimated (uncorrected) train time into the architecture's correction.</summary>
    public void Refine(string arch, double ratio) => Update(c => c.Corrections[arch] = (c.Corrections.GetValueOrDefault(arch) ?? Correction.None).After(ratio));

    private void Update(Action<Contents> change)
    {
        var contents = Read();
        change(contents);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        Json.Write(_path, contents);
    }
}
