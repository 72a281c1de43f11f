using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;
using Runner.Tests.Fixtures;
using Runner.Torch.Models;

namespace Runner.Tests.EndToEnd;

/// <summary>
/// <c>phases:</c> end to end: a head phase leaves the backbone's weights alone, a run killed at the phase boundary and
/// again inside phase 2 ends with the metrics of an uninterrupted run, and results.json carries one record per phase.
/// </summary>
public sealed class PhasesEndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new();
    private readonly string _twin = Path.Combine(Path.GetTempPath(), "runner-e2e-twin-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void A_phased_run_killed_in_each_phase_resumes_to_the_uninterrupted_result()
    {
        File.WriteAllText(_experiment.Yaml, """
            name: tiny
            dataset:
              kind: folder
              path: data
              split: { validation: 0.25, test: 0.25, seed: 1 }
            defaults:
              image_size: 16
              batch_size: 4
              optimizer: { name: adam, lr: 1.0e-4 }
            backbones:
              - name: mobilenet_v2
                phases:
                  - { trainable: head, epochs: 1, optimizer: { lr: 1.0e-2 } }
                  - { trainable: all, epochs: 2 }
            timing: { warmup: 1, iterations: 2, batch_sizes: [1] }
            """);
        TinyExperiment.CopyDirectory(_experiment.Root, _twin);

        Kill(afterEpoch: 1); // the end of the head phase
        AssertOnlyTheHeadChanged(ResumeDirectory());
        Kill(afterEpoch: 2); // resumes at the boundary with phase 2's optimizer, killed inside phase 2
        using (var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(ResumeDirectory(), "state.json"))))
            Assert.Equal([0, 1], state.RootElement.GetProperty("epoch_phase").EnumerateArray().Select(e => e.GetInt32()));

        var resumed = _experiment.Runner("run", "tiny.yaml");
        Assert.True(resumed.ExitCode == 0, resumed.Output + resumed.Error);
        var log = string.Concat(Directory.GetFiles(Path.Combine(_experiment.Root, ".runner", "logs")).Select(File.ReadAllText));
        Assert.True(log.Contains("resuming train:mobilenet_v2 from epoch 3"), log);
        var uninterrupted = RunnerProcess.Run(_twin, "run", "tiny.yaml");
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Output + uninterrupted.Error);

        using var a = Results(_experiment.ReportDir);
        using var b = Results(Path.Combine(_twin, "reports", "tiny"));
        var train = a.RootElement.GetProperty("backbones")[0].GetProperty("train");
        Assert.Equal(3, train.GetProperty("epochs").GetInt32());
        Assert.Equal(Losses(b, "train_loss"), Losses(a, "train_loss"));
        Assert.Equal(Losses(b, "val_log_loss"), Losses(a, "val_log_loss"));

        var phases = train.GetProperty("phases").EnumerateArray().ToList();
        Assert.Equal([(1, "head", 1, 1, 1), (2, "all", 2, 2, 2)], phases.Select(p =>
            (p.GetProperty("phase").GetInt32(), p.GetProperty("trainable").GetString(), p.GetProperty("epochs").GetInt32(),
             p.GetProperty("epochs_run").GetInt32(), p.GetProperty("first_epoch").GetInt32())));
        var (headParams, allParams) = (phases[0].GetProperty("trainable_params").GetInt64(), phases[1].GetProperty("trainable_params").GetInt64());
        Assert.True(headParams > 0 && headParams < allParams / 100, $"{headParams} vs {allParams}");
        Assert.Equal(allParams, train.GetProperty("trainable_params").GetInt64());
        Assert.Equal(Losses(a, "train_loss")[1..], phases[1].GetProperty("train_loss").EnumerateArray().Select(e => e.GetDouble()).ToArray());
        Assert.Contains("## Training phases", File.ReadAllText(Path.Combine(_experiment.ReportDir, "README.md")));
    }

    private void Kill(int afterEpoch)
    {
        var killed = RunnerProcess.Run(_experiment.Root,
            new Dictionary<string, string> { ["RUNNER_TEST_ABORT_AFTER_EPOCH"] = $"{afterEpoch}" },
            "run", "tiny.yaml");
        Assert.True(killed.ExitCode == 137, killed.Output + killed.Error);
    }

    private string ResumeDirectory() => Path.GetDirectoryName(Directory.GetFiles(Path.Combine(_experiment.Root, ".runner"), "state.json", SearchOption.AllDirectories)
        .Single(f => Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(f))) == "resume"))!;

    /// <summary>
    /// The model the task starts from with <paramref name="seed"/>. Other test classes draw from torch's global generator
    /// at the same time, so a draw between the seed and the model's initialisation would change it: it is made until two
    /// made in a row are equal, which no such interleaving gives twice.
    /// </summary>
    private static nn.Module<Tensor, Tensor> SeededTwice(ArchDefinition arch, int seed)
    {
        while (true)
        {
            torch.manual_seed(seed);
            var first = arch.Create(1);
            torch.manual_seed(seed);
            using var second = arch.Create(1);
            if (first.state_dict().All(e => e.Value.equal(second.state_dict()[e.Key]).all().item<bool>())) return first;
            first.Dispose();
        }
    }

    /// <summary>The model after the head phase against the one the task started from (seed 42, no pretrained weights).</summary>
    private static void AssertOnlyTheHeadChanged(string resumeDirectory)
    {
        var arch = ArchRegistry.Default["mobilenet_v2"];
        using var initial = SeededTwice(arch, 42);
        using var trained = arch.Create(1);
        trained.load(Path.Combine(resumeDirectory, "model.bin"));
        var after = trained.state_dict();
        var changed = initial.state_dict().Where(e => !e.Value.equal(after[e.Key]).all().item<bool>()).Select(e => e.Key).ToList();
        Assert.NotEmpty(changed);
        Assert.All(changed, key => Assert.True(arch.IsHeadKey(key), $"{key} changed in the head phase"));
    }

    private static JsonDocument Results(string reportDir) => JsonDocument.Parse(File.ReadAllText(Path.Combine(reportDir, "results.json")));

    private static double[] Losses(JsonDocument results, string name) =>
        results.RootElement.GetProperty("backbones")[0].GetProperty("train").GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public void Dispose()
    {
        _experiment.Dispose();
        try { Directory.Delete(_twin, recursive: true); } catch (IOException) { }
    }
}
