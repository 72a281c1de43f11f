using Runner.Core.Machines;
using Runner.Core.Util;

namespace Runner.Core.Estimation;

/// <summary>
/// Probes and corrections of one machine: <c>$RUNNER_HOME/estimates/ID.json</c>, ID being the <see cref="Machine.Id"/> timing
/// keys use (device, CPU, threads, driver, libtorch…), so each is measured once per machine.
/// Written whole and atomically; two runs refining at once may lose one refinement, never the file.
/// </summary>
public sealed class EstimateStore
{
    public sealed record Contents(Machine Machine, Dictionary<string, Probe> Probes, Dictionary<string, Correction> Corrections);

    private readonly string _path;
    private readonly Machine _machine;

    public EstimateStore(string root, Machine machine)
    {
        _machine = machine;
        _path = Path.Combine(root, machine.Id + ".json");
    }

    public static EstimateStore Default(Machine machine) => new(Path.Combine(RunnerHome.Root(), "estimates"), machine);

    public string Location => _path;

    public Contents Read()
    {
        try
        {
            if (File.Exists(_path) && Json.Read<Contents>(_path) is { Probes: not null, Corrections: not null } read) return read;
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException) { } // damaged: measure again
        return new Contents(_machine, [], []);
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
