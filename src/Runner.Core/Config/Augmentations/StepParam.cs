using System.Text.Json.Nodes;

namespace Runner.Core.Config;

/// <summary>One parameter of an augmentation kind: a number, a range <c>[min, max]</c> or a choice, with its bounds and default.</summary>
public abstract record StepParam(string Name)
{
    /// <summary>The parameter's JSON schema (<c>runner schema</c>); <paramref name="enumOf"/> writes a list of allowed words.</summary>
    public abstract JsonObject Schema(Func<IEnumerable<string>, JsonObject> enumOf);

    public static StepParam Number(string name, double min, double max, double @default) => new NumberParam(name, min, max, @default);
    public static StepParam Range(string name, double min, double max, Interval @default) => new RangeParam(name, min, max, @default);
    public static StepParam Choice(string name, IReadOnlyList<string> options, string @default) => new ChoiceParam(name, options, @default);

    internal sealed record NumberParam(string Name, double Min, double Max, double Default) : StepParam(Name)
    {
        public override JsonObject Schema(Func<IEnumerable<string>, JsonObject> enumOf) =>
            new() { ["type"] = "number", ["minimum"] = Min, ["maximum"] = Max };
    }

    internal sealed record RangeParam(string Name, double Min, double Max, Interval Default) : StepParam(Name)
    {
        public override JsonObject Schema(Func<IEnumerable<string>, JsonObject> enumOf)
        {
            JsonObject Bounded() => new() { ["type"] = "number", ["minimum"] = Min, ["maximum"] = Max };
            return new JsonObject
            {
                ["anyOf"] = new JsonArray(
                    Bounded(), new JsonObject { ["type"] = "array", ["items"] = Bounded(), ["minItems"] = 2, ["maxItems"] = 2 }),
            };
        }
    }

    internal sealed record ChoiceParam(string Name, IReadOnlyList<string> Options, string Default) : StepParam(Name)
    {
        public override JsonObject Schema(Func<IEnumerable<string>, JsonObject> enumOf) => enumOf(Options);
    }
}
