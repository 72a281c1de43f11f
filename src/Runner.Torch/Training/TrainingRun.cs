using System.Diagnostics;
using System.Globalization;
using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Core.Evaluation;
using Runner.Core.Execution;
using Runner.Core.Planning.Kinds;
using Runner.Core.Results;
using Runner.Torch.Compute;
using Runner.Torch.Data;
using Runner.Torch.Evaluation;
using Runner.Torch.Models;
using Runner.Torch.Timing;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Training;

/// <summary>
/// One train task's training, from the model on its device (resumed where a killed run stopped) through every phase and
/// epoch: each phase sets what trains and its optimizer, each epoch trains, validates and is recorded in
/// <see cref="History"/>, and after each a resume point is written. <see cref="Finish"/> leaves the kept epoch's weights.
/// </summary>
internal sealed class TrainingRun : IDisposable
{
    private readonly TaskContext _context;
    private readonly TrainParams _b;
    private readonly ArchDefinition _arch;
    private readonly TrainingData _data;
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly Device _device;
    private readonly ComputeMode _mode;
    private readonly bool _cuda;
    private readonly TrainStep _step;
    private readonly IReadOnlyList<PhaseSpec> _phases;
    private readonly EarlyStopping? _stopping;
    private readonly OutOfMemoryRetry _oom;
    private readonly WeightsSnapshot _best = new();
    private readonly string? _resumeDir;
    private readonly PhasePosition _position = PhasePosition.Start;
    private readonly EpochStart? _epochStart; // only CUDA retries an epoch, so only there is its starting state worth a copy

    // The phase being trained: which one, what trains, its optimizer (over the parameters it trains, on the device) and schedule.
    private int _phase;
    private TrainablePolicy _trainable = null!;
    private optim.Optimizer? _optimizer;
    private int _batchesPerEpoch;
    private LrSchedule _schedule = null!;

    public EpochHistory History { get; } = new();
    public bool Resumed { get; }
    public int BatchSize => _oom.BatchSize;
    public int TotalEpochs => _phases.Sum(p => p.Epochs);
    public int? BestEpoch => _stopping?.BestEpoch;
    public TrainStep Step => _step;

    public TrainingRun(TaskContext context, TrainParams b, ArchDefinition arch, TrainingData data, nn.Module<Tensor, Tensor> model,
        ComputeMode mode, Device device, bool cuda)
    {
        (_context, _b, _arch, _data, _model, _mode, _device, _cuda) = (context, b, arch, data, model, mode, device, cuda);
        _phases = b.PhasesOrOne();
        _stopping = b.EarlyStopping is null ? null : new EarlyStopping(b.EarlyStopping);
        _step = new TrainStep(mode, mode.Scaler(), b.LabelSmoothing, b.GradClip);
        _oom = new OutOfMemoryRetry(b.BatchSize, cuda, (from, to) =>
        {
            context.Log.Warning("{Task}: CUDA out of memory at batch size {From}; retrying the epoch at {To} from its starting weights",
                context.Task.Id, from, to);
            FollowBatchSize(to);
        });
        _resumeDir = context.ResumeDirectory;
        var resumed = _resumeDir is null ? null : ResumePoint.TryRead(_resumeDir);
        if (resumed is not null)
        {
            ResumePoint.LoadModel(_resumeDir!, resumed, model, _best); // before the move: see LoadModel
            History.Restore(resumed);
            _stopping?.Restore(resumed.BestEpoch, resumed.BestLoss, resumed.EpochsWithoutImprovement);
            _position = PhasePosition.After(History.Phase, _phases, _stopping?.ShouldStop ?? false);
            if (resumed.LossScale is { } scale) _step.Scaler.Restore(scale);
            if (resumed.BatchSize is { } reduced && reduced < b.BatchSize)
                _oom.ContinueAt(reduced); // the killed run had halved it after running out of CUDA memory
            context.Log.Information("resuming {Task} from epoch {Epoch}", context.Task.Id, History.Count + 1);
            Resumed = true;
        }
        model.to(device);
        mode.Layout(model);
        _epochStart = cuda ? new EpochStart() : null;
    }

    /// <summary>Trains every phase not finished yet, each until its epochs are done or early stopping ends it.</summary>
    public void RunPhases()
    {
        for (var p = _position.Phase; p < _phases.Count; p++)
        {
            var done = p == _position.Phase ? _position.EpochsDone : 0;
            var first = History.Count - done; // the run's epoch this phase began with
            StartPhase(p, done);
            var outcome = EpochLoop.Run(first + _phases[p].Epochs, _stopping, epoch => RunEpoch(epoch, first),
                onBest: _ => _best.Capture(_model), first + done, onFinished: SaveResumePoint);
            if (outcome.StoppedEarly)
                _context.Log.Information("{Task}: early stopping ended phase {Phase} after epoch {Epoch}", _context.Task.Id, p + 1,
                    outcome.EpochsRun);
        }
    }

    /// <summary>Restores the kept epoch's weights and the model's portable form (fp32 NCHW), ready to be saved.</summary>
    public void Finish()
    {
        if (History.Count < TotalEpochs)
            _context.Log.Information("{Task}: early stopping ran {Run} of {Total} epochs; keeping epoch {Best}", _context.Task.Id,
                History.Count, TotalEpochs, (BestEpoch ?? History.Count - 1) + 1);
        if (_best.HasValue) _best.Restore(_model);
        _mode.Portable(_model);
    }

    /// <summary>The parameters a phase trains (<c>trainable:</c> of the phase).</summary>
    public long TrainableParameters(string trainable) => TrainablePolicy.For(trainable, _arch, _model).Count(_model);

    public void Dispose()
    {
        _optimizer?.Dispose();
        _epochStart?.Dispose();
        _best.Dispose();
    }

    private void StartPhase(int p, int done)
    {
        _phase = p;
        _trainable = TrainablePolicy.For(_phases[p].Trainable, _arch, _model);
        _trainable.Apply(_model);
        _optimizer?.Dispose();
        var optimizer = _optimizer = Optimizers.Create(_phases[p].Optimizer, _model.parameters());
        // The resume point holds this phase's optimizer.
        if (done > 0) _mode.WhileContiguous(_model, optimizer, () => ResumePoint.LoadOptimizer(_resumeDir!, optimizer));
        else _stopping?.Restore(_stopping.BestEpoch, _stopping.BestLoss, 0); // each phase gets its full patience
        FollowBatchSize(_oom.BatchSize);
    }

    /// <summary>Sets the batches per epoch, and the schedule that follows them, for a batch size (smaller after CUDA ran out of memory).</summary>
    private void FollowBatchSize(int size)
    {
        var phase = _phases[_phase];
        _batchesPerEpoch = (_data.Train.Count + size - 1) / size;
        _schedule = new LrSchedule(phase.Schedule, phase.Optimizer.Lr, _batchesPerEpoch, phase.Epochs);
    }

    /// <summary>One epoch, run again from its starting state at a smaller batch if CUDA runs out of memory; recorded once it succeeded.</summary>
    private double RunEpoch(int epoch, int first)
    {
        var optimizer = _optimizer!;
        if (_epochStart is { } start) _mode.WhileContiguous(_model, optimizer, () => start.Capture(_model, optimizer));
        var scaleAtStart = _step.Scaler.State;
        var record = _oom.Run(batchSize => TrainEpoch(epoch, first, batchSize), rewind: () =>
        {
            if (_epochStart is { } start) _mode.WhileContiguous(_model, optimizer, () => start.Restore(_model, optimizer));
            _step.Scaler.Restore(scaleAtStart);
        });
        History.Add(record, _phase, EpochMemory.ReleaseAndMeasure(), _cuda ? GpuFacts.ProcessMemoryMb(_device.index) : null);
        _context.Log.Information("{Task} epoch {Epoch}: {Seconds:F2} s (data wait {Wait:F2} s), train loss {Loss:F4}, " +
            "validation log loss {Val:F4}, lr {Lr:G4}", _context.Task.Id, epoch + 1, record.Seconds, record.DataWaitSeconds, record.TrainLoss,
            record.ValidationLoss, Optimizers.LearningRate(optimizer));
        return record.ValidationLoss;
    }

    /// <param name="epoch">Of the whole run: seeds and shuffling follow it.</param>
    /// <param name="first">The run's epoch this phase began with (the schedule counts from it).</param>
    private EpochRecord TrainEpoch(int epoch, int first, int batchSize)
    {
        torch.manual_seed(ResumePoint.EpochSeed(_b.Seed, epoch)); // dropout etc. draw the same in a resumed run
        var clock = Stopwatch.StartNew();
        var waiting = TimeSpan.Zero;
        _model.train();
        _trainable.FreezeBatchNorm(_model);
        using var losses = new StepLosses(epoch, _batchesPerEpoch);
        // Worker threads shuffle (seed, epoch), augment and normalise ahead of this loop; data wait = time blocked on them.
        using var loader = _data.Batches.Epoch(_data.Train, batchSize, _b.Augment, _b.Seed, epoch, _context.Cancel);
        for (var batch = 0; batch < _batchesPerEpoch; batch++)
        {
            _context.Cancel.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            var dataClock = Stopwatch.StartNew();
            using var data = loader.Next() ?? throw new InvalidOperationException($"the loader ended after {batch} of {_batchesPerEpoch} batches");
            var images = ToDevice(data.Images);
            var labels = ToDevice(data.Labels);
            waiting += dataClock.Elapsed;

            Optimizers.SetLearningRate(_optimizer!, _schedule.At((epoch - first) * _batchesPerEpoch + batch));
            var loss = _step.Run(_model, _data.Head, images, labels, _optimizer!);
            losses.Add(batch, data.Count, loss); // read from the device every StepLosses.Interval steps, not here
            ShowProgress(epoch, batch, losses, (batch * batchSize + data.Count) / clock.Elapsed.TotalSeconds);
        }
        losses.Read();
        TorchRuntime.Synchronize(_device);
        var seconds = clock.Elapsed.TotalSeconds;
        if (StepLosses.FirstNonFinite(_model) is { } bad)
            throw new TrainingDivergedException(
                $"training diverged: '{bad}' holds NaN or infinity after epoch {epoch + 1}; lower the learning rate or set grad_clip");
        return new EpochRecord(seconds, waiting.TotalSeconds, losses.Sum / _data.Train.Count, Validate(epoch, batchSize));
    }

    /// <summary>The validation log loss after an epoch; NaN or infinite predictions fail the task as diverged.</summary>
    private double Validate(int epoch, int batchSize)
    {
        SplitPredictions validation;
        using (_mode.Autocast())
            validation = Predictor.Predict(_model, _data.Head, _data.Batches, _data.Validation, batchSize, _device, cancel: _context.Cancel);
        Divergence.RequireFinite(validation, $"validation predictions after epoch {epoch + 1}");
        return Metrics.LogLoss(validation.Probabilities, validation.Labels);
    }

    private void ShowProgress(int epoch, int batch, StepLosses losses, double imagesPerSecond)
    {
        var phase = _phases.Count > 1 ? $" (phase {_phase + 1}/{_phases.Count})" : "";
        var loss = losses.Seen == 0 ? "…" : losses.Mean.ToString("0.0000", CultureInfo.InvariantCulture);
        _context.Progress.Update(epoch * _batchesPerEpoch + batch + 1, TotalEpochs * _batchesPerEpoch,
            $"epoch {epoch + 1}/{TotalEpochs}{phase} batch {batch + 1}/{_batchesPerEpoch} loss {loss} {imagesPerSecond:0} img/s");
    }

    private void SaveResumePoint(int epoch)
    {
        if (_resumeDir is null) return;
        var state = History.ToResumeState(_stopping, _best.HasValue, _oom.BatchSize, _step.Scaler.Enabled ? _step.Scaler.State : null);
        _mode.WhileContiguous(_model, _optimizer!, () => ResumePoint.Write(_resumeDir, state, _model, _optimizer!, _best));
        ResumePoint.AbortIfTestAsks(epoch + 1);
    }

    // On CUDA the batch is copied into pinned memory and sent without blocking, so the copy overlaps the GPU's work.
    private Tensor ToDevice(Tensor t) => _cuda ? t.pin_memory().to(_device, non_blocking: true) : t.to(_device);
}
