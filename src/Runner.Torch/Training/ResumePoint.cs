using Runner.Core.Util;
using static TorchSharp.torch;

namespace Runner.Torch.Training;

/// <summary>
/// A train task's per-epoch checkpoint, kept in the cache outside the task's staging folder (see
/// <c>TaskContext.ResumeDirectory</c>): model and optimizer state, the best epoch's weights when early stopping keeps
/// them, and a <see cref="ResumeState"/>. Each one is built in a temporary sibling folder and renamed into place, so
/// a run killed at any moment leaves the previous complete point (or none).
/// </summary>
internal static class ResumePoint
{
    private const string StateFile = "state.json", ModelFile = "model.bin", OptimizerFile = "optimizer.bin", BestFile = "best.bin";

    public static void Write(string dir, ResumeState state, nn.Module model, optim.Optimizer optimizer, WeightsSnapshot best)
    {
        var temp = $"{dir}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(temp);
            model.save(Path.Combine(temp, ModelFile));
            Optimizers.State(optimizer).save_state_dict(Path.Combine(temp, OptimizerFile));
            if (state.HasBest) best.Save(Path.Combine(temp, BestFile));
            foreach (var file in Directory.EnumerateFiles(temp))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
                stream.Flush(flushToDisk: true);
            }
            Json.Write(Path.Combine(temp, StateFile), state);
        }
        catch
        {
            // A full disk (or any failure) must not leave a half-written point behind for the next run to step over.
            try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
            throw;
        }

        if (Directory.Exists(dir))
        {
            var old = $"{dir}.old-{Environment.ProcessId}-{Guid.NewGuid():N}";
            Directory.Move(dir, old);
            Directory.Move(temp, dir);
            Directory.Delete(old, recursive: true);
        }
        else Directory.Move(temp, dir);
    }

    /// <summary>The complete resume point in <paramref name="dir"/>, or null; removes what killed writers left half-done.</summary>
    public static ResumeState? TryRead(string dir)
    {
        var parent = Path.GetDirectoryName(dir)!;
        var name = Path.GetFileName(dir);
        if (Directory.Exists(parent))
        {
            foreach (var leftover in Directory.EnumerateDirectories(parent)
                         .Where(d => Path.GetFileName(d).StartsWith(name + ".", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                // Killed between the two renames of Write: the previous point is complete, put it back.
                if (!Directory.Exists(dir) && Path.GetFileName(leftover).StartsWith(name + ".old-", StringComparison.Ordinal)
                    && File.Exists(Path.Combine(leftover, StateFile)))
                    Directory.Move(leftover, dir);
                else
                    try { Directory.Delete(leftover, recursive: true); } catch (IOException) { }
            }
        }
        if (!File.Exists(Path.Combine(dir, StateFile)) || !File.Exists(Path.Combine(dir, ModelFile)) || !File.Exists(Path.Combine(dir, OptimizerFile)))
            return null;
        try
        {
            var state = Json.Read<ResumeState>(Path.Combine(dir, StateFile));
            var consistent = state.EpochsDone > 0 && state.EpochSeconds.Count == state.EpochsDone && state.DataWaitSeconds.Count == state.EpochsDone
                && state.TrainLoss.Count == state.EpochsDone && state.ValLogLoss.Count == state.EpochsDone
                && (!state.HasBest || File.Exists(Path.Combine(dir, BestFile)));
            return consistent ? state : null;
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>
    /// Loads the model and best weights of a point that <see cref="TryRead"/> returned. Call it before the model moves
    /// to its device: TorchSharp's <c>Module.load</c> moves a CUDA module to the CPU and back, replacing its parameters.
    /// </summary>
    public static void LoadModel(string dir, ResumeState state, nn.Module model, WeightsSnapshot best) => DeleteIfDamaged(dir, () =>
    {
        if (state.HasBest) best.Load(model, Path.Combine(dir, BestFile));
        model.load(Path.Combine(dir, ModelFile));
    });

    /// <summary>Loads the optimizer state; the optimizer must be built over the parameters the model trains with (after it moved to its
    /// device).</summary>
    public static void LoadOptimizer(string dir, optim.Optimizer optimizer) =>
        DeleteIfDamaged(dir, () => Optimizers.State(optimizer).load_state_dict(Path.Combine(dir, OptimizerFile)));

    private static void DeleteIfDamaged(string dir, Action load)
    {
        try
        {
            load();
        }
        catch
        {
            Directory.Delete(dir, recursive: true); // damaged: this run fails, the next one starts afresh
            throw;
        }
    }

    /// <summary>The seed of torch's global generator (dropout, stochastic depth) for one epoch, so a resumed run draws as an uninterrupted
    /// one.</summary>
    public static long EpochSeed(int seed, int epoch)
    {
        static ulong SplitMix(ulong x)
        {
            x += 0x9E3779B97F4A7C15;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
            return x ^ (x >> 31);
        }
        return (long)(SplitMix(SplitMix((uint)seed) ^ (uint)epoch ^ 0x5EED_0000UL) & long.MaxValue);
    }

    /// <summary>Test hook: RUNNER_TEST_ABORT_AFTER_EPOCH=N kills the process (exit 137) once the resume point after epoch N is written.</summary>
    public static void AbortIfTestAsks(int epochsDone)
    {
        if (Environment.GetEnvironmentVariable("RUNNER_TEST_ABORT_AFTER_EPOCH") == epochsDone.ToString(System.Globalization.CultureInfo.InvariantCulture))
            Environment.Exit(137);
    }
}
