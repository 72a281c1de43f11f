using Runner.Core.Config;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Tests.Fixtures;
using Runner.Cli;

namespace Runner.Tests.Core.Config;

/// <summary><c>evaluation: { tta }</c>: parsed, validated, and part of eval keys only.</summary>
public sealed class EvaluationConfigTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _data;

    public EvaluationConfigTests() => _data = _temp.Sub("dataset");

    public void Dispose() => _temp.Dispose();

    private string Experiment(string? evaluation) => Yaml.Basic(_data) + (evaluation is null ? "" : evaluation + "\n");

    [Fact]
    public void Tta_defaults_to_none_and_reads_hflip()
    {
        Assert.Equal("none", Yaml.Parse(Experiment(null)).Evaluation.Tta);
        Assert.Equal("hflip", Yaml.Parse(Experiment("evaluation: { tta: hflip }")).Evaluation.Tta);
        Assert.Equal("none", Yaml.Parse(Experiment("evaluation:\n  tta: none")).Evaluation.Tta);
    }

    [Fact]
    public void Unknown_tta_and_unknown_keys_are_errors_with_locations()
    {
        var error = Yaml.Fails(Experiment("evaluation: { tta: vflip }"));
        Assert.Contains(error.Errors, e => e.Line == 14 && e.Message.Contains("evaluation.tta: 'vflip' is not one of none, hflip"));
        error = Yaml.Fails(Experiment("evaluation: { ttta: hflip }"));
        Assert.Contains(error.Errors, e => e.Line == 14 && e.Message.Contains("unknown key 'ttta' in 'evaluation'"));
    }

    [Fact]
    public void Toggling_tta_changes_eval_and_report_keys_but_not_data_train_or_time()
    {
        var plain = Yaml.Plan(Yaml.Parse(Experiment(null))).Tasks.ToDictionary(t => t.Id.ToString(), t => t.Key);
        var tta = Yaml.Plan(Yaml.Parse(Experiment("evaluation: { tta: hflip }"))).Tasks.ToDictionary(t => t.Id.ToString(), t => t.Key);
        var explicitNone = Yaml.Plan(Yaml.Parse(Experiment("evaluation: { tta: none }"))).Tasks.ToDictionary(t => t.Id.ToString(), t => t.Key);

        Assert.Equal(plain, explicitNone);
        var changed = plain.Keys.Where(id => plain[id] != tta[id]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["eval:mobilenet_v2", "eval:resnet18", "report"], changed);
    }

    [Fact]
    public void Eval_task_carries_tta_as_a_parameter()
    {
        var graph = Yaml.Plan(Yaml.Parse(Experiment("evaluation: { tta: hflip }")));
        var eval = graph.Tasks.Single(t => t.Id == "eval:resnet18");
        Assert.Equal("hflip", eval.Params["tta"]!.GetValue<string>());
        Assert.Equal("hflip", Assert.IsType<EvalParams>(eval.Parameters).Tta); // what the executor reads is what the key holds
    }
}
