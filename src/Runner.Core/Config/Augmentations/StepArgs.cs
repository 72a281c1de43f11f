using static Runner.Core.Config.StepParam;

namespace Runner.Core.Config;

/// <summary>A step's parameters as written in the experiment file, each checked against its kind's declaration, defaults where absent.</summary>
public sealed class StepArgs
{
    private readonly YamlMap _map;
    private readonly AugmentKind _kind;

    internal StepArgs(YamlMap map, AugmentKind kind, double p)
    {
        _map = map;
        _kind = kind;
        P = p;
    }

    public double P { get; }

    public double Number(string name) => Param<NumberParam>(name) is var n ? _map.Double(name, n.Min, n.Max) ?? n.Default : 0;

    public Interval Range(string name) =>
        Param<RangeParam>(name) is var r ? AugmentationReader.ReadInterval(_map, name, r.Min, r.Max) ?? r.Default : default;

    public string Choice(string name) => Param<ChoiceParam>(name) is var c ? _map.OneOf(name, [.. c.Options]) ?? c.Default : "";

    private T Param<T>(string name) where T : StepParam =>
        _kind.Params.OfType<T>().SingleOrDefault(p => p.Name == name)
        ?? throw new InvalidOperationException($"augmentation '{_kind.Name}' declares no {typeof(T).Name} '{name}'");
}
