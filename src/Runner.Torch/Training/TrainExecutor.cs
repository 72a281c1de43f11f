using System.Diagnostics;
using Runner.Core.Execution;
using Runner.Core.Results;
using Runner.Core.Util;
using Runner.Torch.Compute;
using Runner.Torch.Estimation;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using TorchSharp;
using static TorchSharp.torch;
using Runner.Core.Planning.Kinds;

namespace Runner.Torch.Training;

/// <summary>The <c>train</c> task: fine-tunes one backbone, timing each epoch and recording train and validation loss.</summary>
public sealed class TrainExecutor(TorchRuntime runtime, ArchRegistry archs, WeightsStore weightsStore) : ITaskExecutor<TrainKind>
{
    public void Execute(TaskContext context)
    {
        var wall = Stopwatch.StartNew();
        var b = context.Params<TrainParams>();
        var arch = archs[b.Arch];
        var data = TrainingData.Of(context, arch, b.ImageSize);
        var device = runtime.DeviceOf(context);
        var mode = new ComputeMode(b.Precision, b.ChannelsLast, device);
        using var math = mode.Math(context.Cancel);

        torch.manual_seed(b.Seed);
        using var model = arch.Create(data.Head.Outputs, b.ImageSize);
        LoadPretrained(model, arch, b);
        if (b.DropPath is { } dropPath) StochasticDepth.SetRate(model, dropPath);
        mode.CastModel(model); // bf16: before a resume point, which holds bfloat16 tensors, is loaded
        using var run = new TrainingRun(context, b, arch, data, model, mode, device, runtime.IsCuda);
        run.RunPhases();
        run.Finish();

        var checkpoint = context.Output(TrainResult.Checkpoint);
        model.save(checkpoint);
        var taskSeconds = run.Resumed ? (double?)null : wall.Elapsed.TotalSeconds; // a resumed task ran partly in a killed process
        Json.Write(context.Output(TrainResult.FileName), Result(b, data, model, run, new FileInfo(checkpoint).Length, taskSeconds, device));
    }

    private TrainResult Result(TrainParams b, TrainingData data, nn.Module<Tensor, Tensor> model, TrainingRun run, long checkpointBytes, double? taskSeconds,
        Device device)
    {
        var history = run.History;
        var complexity = Complexity.Measure(model, b.ImageSize);
        return new TrainResult(data.Head.Classes, history.Count, history.Seconds, history.DataWaitSeconds,
            data.Train.Count * history.Count / history.Seconds.Sum(), history.TrainLoss, history.ValidationLoss, complexity.Params,
            complexity.GMacs, checkpointBytes)
        {
            BestEpoch = (run.BestEpoch ?? history.Count - 1) + 1,
            StoppedEarly = history.Count < run.TotalEpochs,
            TrainableParams = run.TrainableParameters(b.PhasesOrOne()[^1].Trainable),
            RssMb = history.RssMb,
            EffectiveBatchSize = run.BatchSize,
            PeakGpuMemoryMb = history.PeakGpuMemoryMb,
            EstimatedSeconds = TrainingEstimates.EstimateAndRefine(runtime, b, data.Train.Count, data.Validation.Count, taskSeconds),
            TaskSeconds = taskSeconds,
            ImageSize = b.ImageSize,
            Machine = runtime.Machine(),
            Phases = b.Phases is null ? null
                : PhaseRecords.Of(b.PhasesOrOne(), history.Phase, history.Seconds, history.TrainLoss, history.ValidationLoss, run.TrainableParameters),
            Precision = b.Precision,
            ChannelsLast = b.ChannelsLast,
            SkippedSteps = run.Step.Scaler.Enabled ? run.Step.Scaler.SkippedSteps : null,
            Gpu = TorchRuntime.Gpu(device),
        };
    }

    /// <summary>
    /// Copies the pretrained backbone in, after checking that these are the weights the task was keyed with: a store
    /// changed since planning would otherwise file another model's results under this key.
    /// </summary>
    private void LoadPretrained(nn.Module model, ArchDefinition arch, TrainParams b)
    {
        var weights = BackboneWeights.Resolve(arch, b.Weights, weightsStore);
        if (weights.Digest != b.WeightsSha256)
            throw new WeightsException($"weights '{b.Weights}' for {arch.Name} are now {weights.Digest}, but this task was planned with " +
                $"{b.WeightsSha256}: they changed during the run; run it again");
        weights.LoadInto(model, arch);
    }

    /// <summary>Scales the gradients of the trainable parameters so that their total L2 norm is at most <paramref name="maxNorm"/>.</summary>
    public static double ClipGradients(nn.Module model, double maxNorm)
    {
        var parameters = model.parameters().Where(p => p.requires_grad && p.grad is not null).ToList();
        return parameters.Count == 0 ? 0 : nn.utils.clip_grad_norm_(parameters, maxNorm);
    }

    /// <summary>The head's loss on the logits; models with an auxiliary classifier add its weighted loss in training.</summary>
    internal static Tensor Loss(nn.Module<Tensor, Tensor> model, Head head, Tensor images, Tensor labels, double labelSmoothing = 0)
    {
        if (model is not IAuxiliaryClassifier auxiliary) return head.Loss(model.forward(images), labels, labelSmoothing);
        var (main, aux) = auxiliary.ForwardWithAuxiliary(images);
        var loss = head.Loss(main, labels, labelSmoothing);
        return aux is null ? loss : loss + IAuxiliaryClassifier.AuxiliaryLossWeight * head.Loss(aux, labels, labelSmoothing);
    }
}
