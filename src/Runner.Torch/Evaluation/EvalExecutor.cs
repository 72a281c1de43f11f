using Runner.Core.Data;
using Runner.Core.Evaluation;
using Runner.Core.Execution;
using Runner.Core.Results;
using Runner.Core.Util;
using Runner.Torch.Data;
using Runner.Torch.Models;
using Runner.Torch.Training;
using Runner.Core.Planning.Kinds;

namespace Runner.Torch.Evaluation;

/// <summary>
/// The <c>eval</c> task: predictions and metrics on the validation and test splits (optionally with h-flip test-time
/// augmentation, the task's <c>tta</c> parameter) and, when the dataset has a <c>predict</c> folder, its predictions and
/// a Kaggle <c>submission.csv</c>.
/// </summary>
public sealed class EvalExecutor(TorchRuntime runtime, ArchRegistry archs) : ITaskExecutor<EvalKind>
{
    public void Execute(TaskContext context)
    {
        var b = context.Params<EvalParams>();
        var tta = b.Tta;
        var hflip = tta == TestTimeAugmentation.HFlip;
        using var opened = TrainedOnData.Open(context, runtime, archs, b.Arch, b.ImageSize);
        var (arch, split, trained, batches) = opened;
        var predict = split.Predict is { Count: > 0 } p && split.PredictRoot is not null ? p : null;
        var steps = predict is null ? 2 : 3;

        var predictions = new Dictionary<string, SplitPredictions>();
        foreach (var name in new[] { Splits.Validation, Splits.Test })
        {
            predictions[name] = Predictor.Predict(trained.Model, trained.Head, batches, split.In(name).ToList(), b.BatchSize,
                runtime.DeviceOf(context), hflip, context.Cancel);
            Divergence.RequireFinite(predictions[name], $"{name} predictions");
            context.Progress.Update(predictions.Count, steps, $"predicted {name}");
        }
        int? submissionRows = null;
        if (predict is not null)
        {
            // The predict folder's images get their own decoded-image cache (keyed by their root and files).
            var predictManifest = split with { Root = split.PredictRoot!, Items = predict, Predict = null, PredictRoot = null, Skipped = null };
            var predictBatches = new Batches(DecodedImages.For(predictManifest, b.ImageSize), arch.Normalization);
            var predicted = Predictor.Predict(trained.Model, trained.Head, predictBatches, predict, b.BatchSize, runtime.DeviceOf(context),
                hflip, context.Cancel);
            predictions[Splits.Predict] = predicted;
            AtomicFile.WriteAllText(context.Output(EvalResult.Submission), Submission.Text(predicted, split.Classes));
            submissionRows = predicted.Ids.Count;
            context.Progress.Update(3, steps, $"predicted {predict.Count} {Splits.Predict} images");
        }
        Json.Write(context.Output(EvalResult.Predictions), predictions);
        Json.Write(context.Output(EvalResult.FileName),
            new EvalResult(Metrics.Summarize(predictions[Splits.Validation], split.Classes), Metrics.Summarize(predictions[Splits.Test], split.Classes))
            {
                Tta = tta,
                SubmissionRows = submissionRows,
            });
    }
}
