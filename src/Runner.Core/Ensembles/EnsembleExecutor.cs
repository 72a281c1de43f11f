using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Core.Evaluation;
using Runner.Core.Execution;
using Runner.Core.Results;
using Runner.Core.Util;
using Runner.Core.Planning.Kinds;

namespace Runner.Core.Ensembles;

/// <summary>
/// The <c>ensemble</c> task: reads the members' cached validation and test predictions (and features), fits the method on
/// the validation split only, predicts the test split, and writes metrics for both and the predictions like an eval task.
/// Members are never retrained.
/// </summary>
public sealed class EnsembleExecutor : ITaskExecutor<EnsembleKind>
{
    public void Execute(TaskContext context)
    {
        var spec = context.Params<EnsembleParams>();
        var classes = SplitManifest.Read(context.Input(DataKind.Id)).Classes;
        var predictions = spec.Members.Select(m =>
            (m, Json.Read<Dictionary<string, SplitPredictions>>(context.Input(EvalKind.Of(m)).PathOf(EvalResult.Predictions)))).ToList();

        EnsembleSplit Load(string split)
        {
            var members = predictions.Select(p => (p.m, p.Item2[split])).ToList();
            var features = spec.Inputs == EnsembleSpec.InputKinds.Features
                ? spec.Members.Select(m => FeatureFile.Read(context.Input(FeaturesKind.Of(m)).Directory, split, members[0].Item2.Ids)).ToList()
                : null;
            return EnsembleSplit.From(split, members, spec.Inputs, features);
        }
        var validation = Load(Splits.Validation);
        var test = Load(Splits.Test);
        context.Progress.Update(0, 1, $"fitting {spec.Method} on {validation.Count} validation images");

        var result = CrossFit.Run(EnsembleMethods.ByName(spec.Method).Create(spec), validation, test, spec.Folds, spec.Seed, context.Cancel);
        var stackers = result.Fits.Select((fit, k) => (fit, file: result.Fits.Count == 1 ? "stacker.json" : $"stacker-fold{k + 1}.json"))
            .Where(x => x.fit.Save(context.Output(x.file))).Select(x => x.file).ToList();
        var validationPredictions = validation.Predictions(result.Validation);
        var testPredictions = test.Predictions(result.Test);
        Json.Write(context.Output(EvalResult.Predictions), new Dictionary<string, SplitPredictions>
        {
            [Splits.Validation] = validationPredictions,
            [Splits.Test] = testPredictions,
        });
        Json.Write(context.Output(EnsembleFit.FileName), new EnsembleFit(
            spec.Method, spec.Inputs, spec.Members, spec.Folds,
            Metrics.Summarize(validationPredictions, classes),
            Metrics.Summarize(testPredictions, classes))
        {
            Weights = result.MemberWeights?.Select((w, j) => (spec.Members[j], w)).ToDictionary(x => x.Item1, x => x.w),
            Stackers = stackers.Count > 0 ? stackers : null,
        });
        context.Progress.Update(1, 1, "done");
    }
}
