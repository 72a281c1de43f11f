using System.CommandLine;
using TorchSharp.PyBridge;
using Runner.Cli;
using Runner.Cli.Commands;
using Runner.Tests.Fixtures;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using static Runner.Tests.Fixtures.WeightsTestSupport;

namespace Runner.Tests.Cli.Commands;

/// <summary><c>runner weights import|list|fetch</c> in process, over a temporary store: output and exit codes.</summary>
public sealed class WeightsCommandTests : WeightsTestBase
{
    private ArchRegistry _archs = new([Tiny(), ResNetArchs.ResNet18]);
    private readonly Dictionary<string, string?> _environment = [];

    private (int Code, string Output, string Error) Invoke(params string[] args)
    {
        var root = new RootCommand("test") { WeightsCommand.Create(() => Store, _archs, _environment.GetValueOrDefault) };
        var parsed = root.Parse(["weights", .. args]);
        Assert.Empty(parsed.Errors);
        var output = new StringWriter();
        var error = new StringWriter();
        var code = parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Import_then_list()
    {
        Assert.Contains("No weights in", Invoke("list").Output);

        using var model = Randomized(Tiny(), 10);
        var file = SavePy(PathIn("tiny10.pth"), model);
        var (code, output, error) = Invoke("import", file, "--arch", "tiny");

        Assert.Equal((ExitCodes.Success, ""), (code, error));
        Assert.Contains("Imported tiny 'imagenet'", output);
        Assert.Contains("head 10 classes", output);
        Assert.Contains("note: the head differs", output);

        Assert.Equal(ExitCodes.Success, Invoke("import", file, "--arch", "tiny", "--name", "mine", "--format", "pytorch").Code);
        var list = Invoke("list");
        Assert.Equal(ExitCodes.Success, list.Code);
        var lines = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ARCH", lines[0]);
        Assert.Contains("tiny  imagenet", lines[1]);
        Assert.Contains("tiny  mine", lines[2]);
        Assert.Contains(Store.Resolve("tiny", "imagenet")!.Manifest.Sha256[..12], lines[1]);
        Assert.Contains(Path.GetFullPath(file), lines[1]);
        Assert.Contains("2 entries", lines[3]);
    }

    [Fact]
    public void A_mismatch_exits_2_with_the_report()
    {
        using var model = Randomized(Tiny(), 3);
        var sd = StateDict(model);
        sd.Remove("conv.bias");
        var file = SavePy(PathIn("bad.pth"), sd);

        var (code, _, error) = Invoke("import", file, "--arch", "tiny");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("missing: 1 key(s)", error);
        Assert.Contains("conv.bias", error);
        Assert.Equal(ExitCodes.InvalidInput, Invoke("import", file, "--arch", "nope").Code);
        Assert.Equal(ExitCodes.InvalidInput, Invoke("import", PathIn("absent.pth"), "--arch", "tiny").Code);
        Assert.Equal(ExitCodes.InvalidInput, Invoke("import", file, "--arch", "tiny", "--format", "gguf").Code);
    }

    [Fact]
    public void Fetch_exit_codes()
    {
        // No release: exit 2 with an explanation.
        var (code, _, error) = Invoke("fetch", "tiny");
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("has no released weights", error);

        // A mirror serving a file whose checksum does not match: exit 1.
        using var model = Randomized(Tiny(), 2);
        var bytes = File.ReadAllBytes(SavePy(PathIn("t.pth"), model));
        using var server = new LoopbackHttpServer(bytes);
        var url = server.Url("t.pth").ToString();
        var bad = Invoke("fetch", "tiny", "--url", url, "--sha256", "00000000");
        Assert.Equal(ExitCodes.TasksFailed, bad.Code);
        Assert.Contains("checksum mismatch", bad.Error);

        // The right checksum: downloaded, verified, imported.
        var sha = WeightsStore.Sha256Of(PathIn("t.pth"));
        var good = Invoke("fetch", "tiny", "--url", url, "--sha256", sha[..12]);
        Assert.Equal(ExitCodes.Success, good.Code);
        Assert.Contains("verified", good.Output);
        Assert.Contains("Imported tiny 'imagenet'", good.Output);
        Assert.NotNull(Store.Resolve("tiny", "imagenet"));

        Assert.Equal(ExitCodes.InvalidInput, Invoke("fetch", "tiny", "--url", "ftp://127.0.0.1/x").Code);
    }

    [Fact]
    public void Fetch_for_an_experiment_gets_only_the_imagenet_weights_it_lacks_before_its_data_is_there()
    {
        var experiment = PathIn("exp.yaml");
        File.WriteAllLines(experiment,
        [
            $"dataset: {{ kind: folder, path: {PathIn("data")}, predict: {PathIn("unlabelled")} }}",
            "backbones:",
            "  - { name: tiny, weights: imagenet }",
            "  - { name: resnet18, weights: none }",
        ]);
        using var model = Randomized(Tiny(), 2);
        var file = SavePy(PathIn("t.pth"), model);
        using var server = new LoopbackHttpServer(File.ReadAllBytes(file));
        var sha = WeightsStore.Sha256Of(file)[..12];

        var first = Invoke("fetch", "--for", experiment, "--url", server.Url("t.pth").ToString(), "--sha256", sha);
        Assert.Equal((ExitCodes.Success, ""), (first.Code, first.Error));
        Assert.Contains("Fetching tiny weights", first.Output);
        Assert.Equal(["/t.pth"], server.Paths.Distinct());
        Assert.DoesNotContain("resnet18", first.Output);
        Assert.NotNull(Store.Resolve("tiny", "imagenet"));

        var again = Invoke("fetch", "--for", experiment);
        Assert.Equal(ExitCodes.Success, again.Code);
        Assert.Contains("every released weight file it needs is stored", again.Output);
        Assert.Equal(ExitCodes.InvalidInput, Invoke("fetch").Code);
        Assert.Equal(ExitCodes.InvalidInput, Invoke("fetch", "--for", PathIn("absent.yaml")).Code);
        // Every other command still requires the data.
        var e = Assert.Throws<Runner.Core.Config.ConfigException>(() => new Runner.Core.Config.ExperimentLoader(_archs).Load(experiment));
        Assert.Contains(e.Errors, error => error.Message.StartsWith("dataset.path: directory", StringComparison.Ordinal));
    }

    /// <summary>
    /// A tag names one of an architecture's releases: <c>--tag</c> fetches it and stores it under the tag, <c>--for</c> fetches the
    /// tags an experiment's <c>weights:</c> name as well as its <c>imagenet</c> ones, and an unknown tag lists the known ones.
    /// </summary>
    [Fact]
    public void Fetch_by_tag_stores_the_release_under_its_tag()
    {
        using var v2 = Randomized(Tiny(), 1000);
        using var v1 = Randomized(Tiny(), 1000);
        var (v2File, v1File) = (SavePy(PathIn("v2.pth"), v2), SavePy(PathIn("v1.pth"), v1));
        var (v2Name, v1Name) = ($"tiny-{WeightsStore.Sha256Of(v2File)[..8]}.pth", $"tiny_v1-{WeightsStore.Sha256Of(v1File)[..8]}.pth");
        const string Origin = "https://download.invalid/models/";
        _archs = new([Tiny(ReleaseWeights.HubSuffix(Origin + v2Name) with { Tag = "IMAGENET1K_V2" }) with
        {
            OtherReleases = [ReleaseWeights.HubSuffix(Origin + v1Name) with { Tag = "IMAGENET1K_V1" }],
        }]);
        using var server = new LoopbackHttpServer([]);
        server.Files[$"/m/{v2Name}"] = File.ReadAllBytes(v2File);
        server.Files[$"/m/{v1Name}"] = File.ReadAllBytes(v1File);
        _environment[FetchSource.MirrorVariable] = server.Url("m").ToString();

        var unknown = Invoke("fetch", "tiny", "--tag", "IMAGENET1K_V9");
        Assert.Equal(ExitCodes.InvalidInput, unknown.Code);
        Assert.Contains("tiny has no release tagged 'IMAGENET1K_V9'; its tags: IMAGENET1K_V2, IMAGENET1K_V1", unknown.Error);

        var tagged = Invoke("fetch", "tiny", "--tag", "IMAGENET1K_V1");
        Assert.Equal((ExitCodes.Success, ""), (tagged.Code, tagged.Error));
        Assert.Contains("Imported tiny 'IMAGENET1K_V1'", tagged.Output);
        Assert.Equal(WeightsStore.Sha256Of(v1File), Store.Resolve("tiny", "IMAGENET1K_V1")!.Manifest.SourceSha256);
        Assert.Null(Store.Resolve("tiny", "imagenet"));

        var experiment = PathIn("exp.yaml");
        File.WriteAllLines(experiment,
        [
            $"dataset: {{ kind: folder, path: {PathIn("data")} }}",
            "backbones:",
            "  - { name: a, arch: tiny, weights: imagenet }",
            "  - { name: b, arch: tiny, weights: IMAGENET1K_V1 }",
            "  - { name: c, arch: tiny, weights: IMAGENET1K_V2 }",
        ]);
        var forExperiment = Invoke("fetch", "--for", experiment);
        Assert.Equal((ExitCodes.Success, ""), (forExperiment.Code, forExperiment.Error));
        Assert.Contains("Fetching tiny weights from", forExperiment.Output);
        Assert.Contains("Fetching tiny weights 'IMAGENET1K_V2' from", forExperiment.Output);
        Assert.DoesNotContain("'IMAGENET1K_V1' from", forExperiment.Output); // already stored
        Assert.Equal(WeightsStore.Sha256Of(v2File), Store.Resolve("tiny", "imagenet")!.Manifest.SourceSha256);
        Assert.Equal(WeightsStore.Sha256Of(v2File), Store.Resolve("tiny", "IMAGENET1K_V2")!.Manifest.SourceSha256);
    }

    /// <summary><see cref="WeightsTestSupport.Tiny"/>'s state_dict written by PyTorch 1.13 in the legacy torch.save format.</summary>
    private const string TinyLegacyScript = """
        import collections, sys, torch
        from torch import nn
        torch.manual_seed(0)
        model = nn.Sequential(collections.OrderedDict(conv=nn.Conv2d(3, 4, 3), bn=nn.BatchNorm2d(4), pool=nn.AdaptiveAvgPool2d(1),
                                                      flatten=nn.Flatten(), fc=nn.Linear(4, 1000)))
        torch.save(model.state_dict(), sys.argv[1], _use_new_zipfile_serialization=False)
        """;

    [Fact]
    public void Fetch_over_http_from_a_mirror_imports_both_formats_continues_past_failures_and_resumes()
    {
        var legacy = PathIn("tiny-legacy.pth");
        ReferenceFixtures.RunPython("-c", TinyLegacyScript, legacy);
        var safetensors = PathIn("tiny.safetensors");
        using (var model = Randomized(Tiny(), 1000)) Safetensors.SaveStateDict(safetensors, StateDict(model));
        var (legacySha, safetensorsSha) = (WeightsStore.Sha256Of(legacy), WeightsStore.Sha256Of(safetensors));

        // Releases on a host that is never contacted: the mirror (from the environment) serves their file names.
        const string Origin = "https://download.invalid/models/";
        var legacyName = $"tiny_legacy-{legacySha[..8]}.pth";
        var safetensorsName = $"tiny_st-{safetensorsSha[..8]}.safetensors";
        var wrongName = $"tiny_bad-{legacySha[..8]}.pth";
        _archs = new([
            Tiny(ReleaseWeights.HubSuffix(Origin + legacyName), "tiny_legacy"),
            Tiny(ReleaseWeights.Pinned(Origin + safetensorsName, safetensorsSha), "tiny_st"),
            Tiny(ReleaseWeights.HubSuffix(Origin + wrongName), "tiny_bad"),
        ]);
        using var server = new LoopbackHttpServer([]);
        server.Files[$"/mirror/{legacyName}"] = File.ReadAllBytes(legacy);
        server.Files[$"/mirror/{safetensorsName}"] = File.ReadAllBytes(safetensors);
        server.Files[$"/mirror/{wrongName}"] = File.ReadAllBytes(safetensors);
        _environment[FetchSource.MirrorVariable] = server.Url("mirror").ToString();
        server.CutNextAfter = 1000; // the first download breaks off

        var first = Invoke("fetch", "tiny_legacy", "tiny_st", "tiny_bad");

        Assert.Equal(ExitCodes.TasksFailed, first.Code);
        Assert.Contains("2 of 3 architecture(s) failed:", first.Error);
        Assert.Contains("  tiny_legacy: download of", first.Error);
        Assert.Contains("interrupted after 1,000", first.Error);
        Assert.Contains($"  tiny_bad: checksum mismatch for {server.Url("mirror/" + wrongName)}: expected SHA-256 {legacySha[..8]}…, actual {safetensorsSha}", first.Error);
        Assert.Equal("safetensors", Store.Resolve("tiny_st")!.Manifest.SourceFormat);
        Assert.Null(Store.Resolve("tiny_legacy"));
        Assert.Null(Store.Resolve("tiny_bad"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Store.DownloadsDirectory, "tiny_bad"), "*", SearchOption.AllDirectories));
        Assert.All(server.Paths, path => Assert.StartsWith("/mirror/", path));

        var second = Invoke("fetch", "tiny_legacy");

        Assert.Equal((ExitCodes.Success, ""), (second.Code, second.Error));
        Assert.Contains("(resumed at 1,000)", second.Output);
        Assert.Contains($"sha256 {legacySha[..12]}… verified", second.Output);
        Assert.Equal("bytes=1000-", server.Ranges.Last());
        var entry = Store.Resolve("tiny_legacy")!;
        Assert.Equal(("pytorch", legacySha, "1000"), (entry.Manifest.SourceFormat, entry.Manifest.SourceSha256, entry.Manifest.HeadClasses));
    }
}
