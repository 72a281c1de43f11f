namespace Runner.Core.Config;

/// <summary>
/// Reads <c>phases:</c> (in <c>defaults:</c> or a backbone) and resolves each phase over the backbone's merged settings.
/// A map with <c>phases</c> may not also set <c>epochs</c> or <c>trainable</c> (each phase sets its own); a backbone
/// that sets either of them itself trains in one phase and does not inherit the defaults' phases.
/// </summary>
internal static class PhaseReader
{
    public static readonly string[] Keys = ["trainable", "epochs", "optimizer", "schedule"];
    private static readonly string[] Beside = ["epochs", "trainable"];

    public static IReadOnlyList<PhaseSettings>? Read(YamlMap map)
    {
        if (!map.Has("phases") || map.Sequence("phases") is not { } seq) return null;
        if (seq.Children.Count == 0) map.Errors.Add(seq, $"{map.FieldPath("phases")}: list at least one phase");
        foreach (var key in Beside.Where(map.Has))
            map.Errors.Add(map.KeyNode(key)!, $"{map.FieldPath(key)}: not beside 'phases'; set {key} inside each phase");
        var phases = new List<PhaseSettings>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            if (YamlMap.From(map.Errors, seq.Children[i], $"{map.FieldPath("phases")}[{i}]", Keys) is not { } phase) continue;
            if (!phase.Has("epochs")) phase.Require("epochs");
            phases.Add(new PhaseSettings(TrainingSettings.Read(phase) with { Epochs = phase.Int("epochs", 1, 10_000) }, phase));
        }
        return phases;
    }

    /// <summary>Each phase over the backbone's merged settings; null after reporting an error.</summary>
    public static IReadOnlyList<PhaseSpec>? Resolve(IReadOnlyList<PhaseSettings> phases, Settings backbone, string arch, IArchCatalog archs, YamlErrors errors)
    {
        var resolved = new List<PhaseSpec>();
        foreach (var (own, map) in phases)
        {
            var s = own.Over(backbone);
            var trainable = s.Trainable ?? "all";
            if (Trainable.LastBlocks(trainable) is { } last && archs.TrainableBlocks(arch) is { } blocks && last > blocks)
                errors.Add(map.Value("trainable") ?? map.Node,
                    $"{map.Path}: trainable: {trainable}, but {arch} has {blocks} blocks; use last-1 … last-{blocks}, head or all");
            var training = s.Training(errors, map.Value("schedule") ?? map.Node, map.Path);
            if (training is null || own.Epochs is null) continue;
            resolved.Add(new PhaseSpec(trainable, own.Epochs.Value, training.Optimizer, training.Schedule));
        }
        return resolved.Count == phases.Count && phases.Count > 0 ? resolved : null;
    }
}
