using System.Diagnostics;
using System.Globalization;
using Runner.Core.Data;
using Runner.Core.Evaluation;
using Runner.Core.Execution;
using Runner.Core.Results;
using Runner.Core.Util;
using Runner.Torch.Compute;
using Runner.Torch.Data;
using Runner.Torch.Estimation;
using Runner.Torch.Evaluation;
using Runner.Torch.Models;
using Runner.Torch.Timing;
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
        var split = SplitManifest.Of(context);
        var head = new Head(split.Classes.Count);
        var batches = new Batches(DecodedImages.For(split, b.ImageSize), arch.Normalization);
        var trainItems = split.In(Splits.Train).ToList();
        var validationItems = split.In(Splits.Validation).ToList();

        var device = runtime.DeviceOf(context);
        var mode = new ComputeMode(b.Precision, b.ChannelsLast, device);
        using var math = mode.Math(context.Cancel);

        torch.manual_seed(b.Seed);
        using var model = arch.Create(head.Outputs, b.ImageSize);
        LoadPretrained(model, arch, b);
        if (b.DropPath is { } dropPath) StochasticDepth.SetRate(model, dropPath);
        mode.CastModel(model); // bf16: before a resume point, which holds bfloat16 tensors, is loaded
        var resumeDir = context.ResumeDirectory;
        var resumed = resumeDir is null ? null : ResumePoint.TryRead(resumeDir);
        using var best = new WeightsSnapshot();
        if (resumed is not null) ResumePoint.LoadModel(resumeDir!, resumed, model, best); // before the move: see LoadModel
        model.to(device);
        mode.Layout(model);
        var step = new TrainStep(mode, mode.Scaler(), b.LabelSmoothing, b.GradClip);
        var phases = b.PhasesOrOne();
        var totalEpochs = phases.Sum(p => p.Epochs);
        // Set at each phase's start: the policy, and an optimizer built over the parameters that phase trains (after the move to the device).
        TrainablePolicy trainable = null!;
        optim.Optimizer optimizer = null!;
        var current = 0;
        var phase = phases[0];

        var batchesPerEpoch = (trainItems.Count + b.BatchSize - 1) / b.BatchSize;
        var schedule = new LrSchedule(phase.Schedule, phase.Optimizer.Lr, batchesPerEpoch, phase.Epochs);
        // CUDA out of memory: halve the batch size and run the epoch again (the schedule follows the new batch count).
        void FollowBatchSize(int size)
        {
            batchesPerEpoch = (trainItems.Count + size - 1) / size;
            schedule = new LrSchedule(phase.Schedule, phase.Optimizer.Lr, batchesPerEpoch, phase.Epochs);
        }
        var oom = new OutOfMemoryRetry(b.BatchSize, runtime.IsCuda, (from, to) =>
        {
            context.Log.Warning("{Task}: CUDA out of memory at batch size {From}; retrying the epoch at {To} from its starting weights",
                context.Task.Id, from, to);
            FollowBatchSize(to);
        });
        var epochSeconds = new List<double>();
        var dataWait = new List<double>();
        var trainLoss = new List<double>();
        var validationLoss = new List<double>();
        var rssMb = new List<double>();
        var epochPhase = new List<int>();
        double? peakGpuMemoryMb = null;
        var stopping = b.EarlyStopping is null ? null : new EarlyStopping(b.EarlyStopping);
        var position = PhasePosition.Start;
        if (resumed is not null)
        {
            epochSeconds.AddRange(resumed.EpochSeconds);
            dataWait.AddRange(resumed.DataWaitSeconds);
            trainLoss.AddRange(resumed.TrainLoss);
            validationLoss.AddRange(resumed.ValLogLoss);
            rssMb.AddRange(resumed.RssMb ?? []);
            epochPhase.AddRange(resumed.EpochPhase ?? Enumerable.Repeat(0, resumed.EpochsDone));
            stopping?.Restore(resumed.BestEpoch, resumed.BestLoss, resumed.EpochsWithoutImprovement);
            position = PhasePosition.After(epochPhase, phases, stopping?.ShouldStop ?? false);
            if (resumed.LossScale is { } scale) step.Scaler.Restore(scale);
            if (resumed.BatchSize is { } reduced && reduced < b.BatchSize)
                oom.ContinueAt(reduced); // the killed run had halved it after running out of CUDA memory
            context.Log.Information("resuming {Task} from epoch {Epoch}", context.Task.Id, epochPhase.Count + 1);
        }
        // Only CUDA retries an epoch, so only there is its starting state worth a copy.
        using var epochStart = runtime.IsCuda ? new EpochStart() : null;

        // epoch: of the whole run (seeds and shuffling follow it); first: the run's epoch this phase began with.
        EpochRecord TrainEpoch(int epoch, int first, int batchSize)
        {
            torch.manual_seed(ResumePoint.EpochSeed(b.Seed, epoch)); // dropout etc. draw the same in a resumed run
            var clock = Stopwatch.StartNew();
            var waiting = TimeSpan.Zero;
            model.train();
            trainable.FreezeBatchNorm(model);
            using var losses = new StepLosses(epoch, batchesPerEpoch);
            // Worker threads shuffle (seed, epoch), augment and normalise ahead of this loop; data wait = time blocked on them.
            using var loader = batches.Epoch(trainItems, batchSize, b.Augment, b.Seed, epoch, context.Cancel);
            var phaseLabel = phases.Count > 1 ? $" (phase {current + 1}/{phases.Count})" : "";
            for (var batch = 0; batch < batchesPerEpoch; batch++)
            {
                context.Cancel.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                var dataClock = Stopwatch.StartNew();
                using var data = loader.Next() ?? throw new InvalidOperationException($"the loader ended after {batch} of {batchesPerEpoch} batches");
                var images = ToDevice(data.Images);
                var labels = ToDevice(data.Labels);
                waiting += dataClock.Elapsed;

                Optimizers.SetLearningRate(optimizer, schedule.At((epoch - first) * batchesPerEpoch + batch));
                var loss = step.Run(model, head, images, labels, optimizer);
                losses.Add(batch, data.Count, loss); // read from the device every StepLosses.Interval steps, not here

                var seen = batch * batchSize + data.Count;
                context.Progress.Update(epoch * batchesPerEpoch + batch + 1, totalEpochs * batchesPerEpoch,
                    $"epoch {epoch + 1}/{totalEpochs}{phaseLabel} batch {batch + 1}/{batchesPerEpoch} loss {(losses.Seen == 0 ? "…" : losses.Mean.ToString("0.0000", CultureInfo.InvariantCulture))} {seen / clock.Elapsed.TotalSeconds:0} img/s");
            }
            losses.Read();
            TorchRuntime.Synchronize(device);
            var seconds = clock.Elapsed.TotalSeconds;
            if (StepLosses.FirstNonFinite(model) is { } bad)
                throw new TrainingDivergedException($"training diverged: '{bad}' holds NaN or infinity after epoch {epoch + 1}; lower the learning rate or set grad_clip");
            SplitPredictions validation;
            using (mode.Autocast()) validation = Predictor.Predict(model, head, batches, validationItems, batchSize, device, cancel: context.Cancel);
            Divergence.RequireFinite(validation, $"validation predictions after epoch {epoch + 1}");
            return new EpochRecord(seconds, waiting.TotalSeconds, losses.Sum / trainItems.Count, Metrics.LogLoss(validation.Probabilities, validation.Labels));
        }

        try
        {
            for (var p = position.Phase; p < phases.Count; p++)
            {
                current = p;
                phase = phases[p];
                var done = p == position.Phase ? position.EpochsDone : 0;
                var first = epochPhase.Count - done;
                trainable = TrainablePolicy.For(phase.Trainable, arch, model);
                trainable.Apply(model);
                optimizer?.Dispose();
                optimizer = Optimizers.Create(phase.Optimizer, model.parameters());
                // The resume point holds this phase's optimizer.
                if (done > 0) mode.WhileContiguous(model, optimizer, () => ResumePoint.LoadOptimizer(resumeDir!, optimizer));
                else stopping?.Restore(stopping.BestEpoch, stopping.BestLoss, 0); // each phase gets its full patience
                FollowBatchSize(oom.BatchSize);

                var outcome = EpochLoop.Run(first + phase.Epochs, stopping, epoch =>
                {
                    if (epochStart is not null) mode.WhileContiguous(model, optimizer, () => epochStart.Capture(model, optimizer));
                    var scaleAtStart = step.Scaler.State;
                    // Recorded once the whole epoch, validation included, has succeeded: a retried attempt leaves no trace.
                    var record = oom.Run(batchSize => TrainEpoch(epoch, first, batchSize), rewind: () =>
                    {
                        if (epochStart is not null) mode.WhileContiguous(model, optimizer, () => epochStart.Restore(model, optimizer));
                        step.Scaler.Restore(scaleAtStart);
                    });
                    epochSeconds.Add(record.Seconds);
                    dataWait.Add(record.DataWaitSeconds);
                    trainLoss.Add(record.TrainLoss);
                    validationLoss.Add(record.ValidationLoss);
                    epochPhase.Add(current);
                    context.Log.Information("{Task} epoch {Epoch}: {Seconds:F2} s (data wait {Wait:F2} s), train loss {Loss:F4}, validation log loss {Val:F4}, lr {Lr:G4}",
                        context.Task.Id, epoch + 1, record.Seconds, record.DataWaitSeconds, record.TrainLoss, record.ValidationLoss,
                            Optimizers.LearningRate(optimizer));
                    rssMb.Add(EpochMemory.ReleaseAndMeasure());
                    if (runtime.IsCuda && GpuFacts.ProcessMemoryMb(device.index) is { } gpuMb)
                        peakGpuMemoryMb = Math.Max(peakGpuMemoryMb ?? 0, gpuMb);
                    return record.ValidationLoss;
                }, onBest: _ => best.Capture(model), first + done, onFinished: epoch =>
                {
                    if (resumeDir is null) return;
                    var state = new ResumeState(epoch + 1, epochSeconds, dataWait, trainLoss, validationLoss,
                        stopping?.BestEpoch ?? -1, stopping?.BestLoss ?? double.NaN, stopping?.EpochsWithoutImprovement ?? 0, best.HasValue)
                    {
                        RssMb = rssMb, BatchSize = oom.BatchSize, EpochPhase = epochPhase,
                        LossScale = step.Scaler.Enabled ? step.Scaler.State : null,
                    };
                    mode.WhileContiguous(model, optimizer, () => ResumePoint.Write(resumeDir, state, model, optimizer, best));
                    ResumePoint.AbortIfTestAsks(epoch + 1);
                });
                if (outcome.StoppedEarly)
                    context.Log.Information("{Task}: early stopping ended phase {Phase} after epoch {Epoch}", context.Task.Id, p + 1,
                        outcome.EpochsRun);
            }
        }
        finally
        {
            optimizer?.Dispose();
        }
        var epochsRun = epochPhase.Count;
        var stoppedEarly = epochsRun < totalEpochs;
        var trainableParams = TrainablePolicy.For(phases[^1].Trainable, arch, model).Count(model);
        var bestEpoch = stopping?.BestEpoch ?? epochsRun - 1;
        if (stoppedEarly)
            context.Log.Information("{Task}: early stopping ran {Run} of {Total} epochs; keeping epoch {Best}", context.Task.Id, epochsRun,
                totalEpochs, bestEpoch + 1);
        if (best.HasValue) best.Restore(model);
        mode.Portable(model);
        var checkpoint = context.Output(TrainResult.Checkpoint);
        model.save(checkpoint);
        var complexity = Complexity.Measure(model, b.ImageSize);
        var taskSeconds = resumed is null ? wall.Elapsed.TotalSeconds : (double?)null; // a resumed task ran partly in a killed process
        var estimate = TrainingEstimates.EstimateAndRefine(runtime, b, trainItems.Count, validationItems.Count, taskSeconds);
        Json.Write(context.Output(TrainResult.FileName), new TrainResult(
            head.Classes, epochsRun, epochSeconds, dataWait, trainItems.Count * epochsRun / epochSeconds.Sum(),
            trainLoss, validationLoss, complexity.Params, complexity.GMacs, new FileInfo(checkpoint).Length)
        {
            BestEpoch = bestEpoch + 1,
            StoppedEarly = stoppedEarly,
            TrainableParams = trainableParams,
            RssMb = rssMb,
            EffectiveBatchSize = oom.BatchSize,
            PeakGpuMemoryMb = peakGpuMemoryMb,
            EstimatedSeconds = estimate,
            TaskSeconds = taskSeconds,
            ImageSize = b.ImageSize,
            Machine = runtime.Machine(),
            Phases = b.Phases is null ? null : PhaseRecords.Of(phases, epochPhase, epochSeconds, trainLoss, validationLoss, name => TrainablePolicy.For(name, arch, model).Count(model)),
            Precision = b.Precision,
            ChannelsLast = b.ChannelsLast,
            SkippedSteps = step.Scaler.Enabled ? step.Scaler.SkippedSteps : null,
            Gpu = TorchRuntime.Gpu(device),
        });

        // On CUDA the batch is copied into pinned memory and sent without blocking, so the copy overlaps the GPU's work.
        Tensor ToDevice(Tensor t) => runtime.IsCuda ? t.pin_memory().to(device, non_blocking: true) : t.to(device);
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
    private sealed record EpochRecord(double Seconds, double DataWaitSeconds, double TrainLoss, double ValidationLoss);

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
