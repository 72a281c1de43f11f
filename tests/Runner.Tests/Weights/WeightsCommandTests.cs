using System.CommandLine;
using Runner.Cli;
using Runner.Cli.Commands;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using static Runner.Tests.Weights.WeightsTestSupport;

namespace Runner.Tests.Weights;

/// <summary><c>runner weights import|list|fetch</c> in process, over a temporary store: output and exit codes.</summary>
public sealed class WeightsCommandTests : WeightsTestBase
{
    private readonly ArchRegistry _archs = new([Tiny(), ResNetArchs.ResNet18]);

    private (int Code, string Output, string Error) Invoke(params string[] args)
    {
        var root = new RootCommand("test") { WeightsCommand.Create(() => Store, _archs) };
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
    public void Fetch_for_an_experiment_gets_only_the_imagenet_weights_it_lacks()
    {
        Directory.CreateDirectory(PathIn("data"));
        var experiment = PathIn("exp.yaml");
        File.WriteAllLines(experiment,
        [
            $"dataset: {{ kind: folder, path: {PathIn("data")} }}",
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
        Assert.DoesNotContain("resnet18", first.Output);
        Assert.NotNull(Store.Resolve("tiny", "imagenet"));

        var again = Invoke("fetch", "--for", experiment);
        Assert.Equal(ExitCodes.Success, again.Code);
        Assert.Contains("every 'imagenet' weight file it needs is stored", again.Output);
        Assert.Equal(ExitCodes.InvalidInput, Invoke("fetch").Code);
        Assert.Equal(ExitCodes.InvalidInput, Invoke("fetch", "--for", PathIn("absent.yaml")).Code);
    }
}
