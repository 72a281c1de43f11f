using Runner.Core.Data;
using Runner.Core.Evaluation;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Core.Results;
using Runner.Core.Util;
using Runner.Torch.Data;
using Runner.Torch.Models;
using Runner.Torch.Training;

namespace Runner.Torch.Evaluation;

/// <summary>The <c>eval</c> task: predictions and metrics on the validation and test splits.</summary>
public sealed class EvalExecutor(TorchRuntime runtime, ArchRegistry archs) : ITaskExecutor
{
    public string Kind => TaskKinds.Eval;

    public void Execute(TaskContext context)
    {
        var b = context.Backbone;
        var arch = archs[b.Arch];
        var split = TrainedModel.ReadSplit(context.Input("data"));
        using var trained = TrainedModel.Load(context.Input($"{TaskKinds.Train}:{b.Name}"), arch, runtime.Device);
        var batches = new Batches(DecodedImages.For(split, b.ImageSize), arch.Normalization);

        var predictions = new Dictionary<string, SplitPredictions>();
        foreach (var name in new[] { Splits.Validation, Splits.Test })
        {
            predictions[name] = Predictor.Predict(trained.Model, trained.Head, batches, split.In(name).ToList(), b.BatchSize, runtime.Device);
            context.Progress.Update(predictions.Count, 2, $"predicted {name}");
        }
        Json.Write(context.Output(EvalResult.Predictions), predictions);
        Json.Write(context.Output(EvalResult.FileName),
            new EvalResult(Metrics.Summarize(predictions[Splits.Validation]), Metrics.Summarize(predictions[Splits.Test])));
    }
}
