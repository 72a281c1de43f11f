using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using Runner.Tests.Fixtures;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using static Runner.Tests.Fixtures.WeightsTestSupport;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Weights;

/// <summary>Reading torch.save and safetensors files and importing them strictly into an architecture.</summary>
[Collection(ResNet18FileCollection.Name)]
public sealed class WeightsImportTests(ResNet18File resnet18) : WeightsTestBase
{
    private static readonly ArchDefinition ResNet18 = ResNetArchs.ResNet18;

    [Fact]
    public void A_resnet18_state_dict_imports_strictly_and_is_stored_with_a_manifest()
    {
        var file = resnet18.Path;

        Assert.Equal("pytorch", WeightsFormats.Detect(file).Name);
        var stored = Store.Import(file, ResNet18);

        var m = stored.Entry.Manifest;
        Assert.Equal(("resnet18", "imagenet", "pytorch", "1000", 1000), (m.Arch, m.Name, m.SourceFormat, m.HeadClasses, m.HeadOutputs));
        Assert.Equal(11_689_512, m.Parameters);
        Assert.Equal(WeightsStore.Sha256Of(stored.Entry.WeightsPath), m.Sha256);
        Assert.Equal(WeightsStore.Sha256Of(file), m.SourceSha256);
        Assert.Equal(Path.GetFullPath(file), m.Source);
        Assert.Empty(stored.Notes);
        Assert.StartsWith(Store.Root, stored.Entry.WeightsPath);

        // The stored file is TorchSharp's own format and holds exactly the source's tensors.
        using var reloaded = ResNet18.Create(1000);
        reloaded.load(stored.Entry.WeightsPath, strict: true);
        var expected = resnet18.StateDict;
        foreach (var (key, tensor) in reloaded.state_dict()) Assert.True(Equal(expected[key], tensor), key);

        var resolved = Store.Resolve("resnet18", "imagenet");
        Assert.NotNull(resolved);
        Assert.Equal(m, resolved.Manifest);
        Assert.True(WeightsStore.Verify(resolved));
        Assert.Equal([("resnet18", "imagenet")], Store.List().Select(e => (e.Arch, e.Name)));
    }

    [Fact]
    public void A_mismatch_lists_missing_unexpected_and_wrong_shape_keys_with_counts_and_stores_nothing()
    {
        var sd = resnet18.StateDict;
        sd["layer1.0.conv_1.weight"] = sd["layer1.0.conv1.weight"];
        sd.Remove("layer1.0.conv1.weight");
        using var extra = torch.zeros(3);
        sd["extra.weight"] = extra;
        using var wrong = torch.zeros(10);
        sd["layer4.1.bn2.weight"] = wrong;

        var e = Assert.Throws<WeightsMismatchException>(() => WeightsImport.Import(sd, ResNet18, "pytorch", "bad.pth"));

        Assert.Equal(["layer1.0.conv1.weight"], e.Comparison.Missing);
        Assert.Equal(["extra.weight", "layer1.0.conv_1.weight"], e.Comparison.Unexpected);
        var shape = Assert.Single(e.Comparison.WrongShape);
        Assert.Equal("layer4.1.bn2.weight", shape.Key);
        Assert.Equal([512L], shape.Expected);
        Assert.Equal([10L], shape.Actual);
        Assert.StartsWith("bad.pth does not match architecture resnet18", e.Message);
        Assert.Contains("missing: 1 key(s)", e.Message);
        Assert.Contains("unexpected: 2 key(s)", e.Message);
        Assert.Contains("wrong shape: 1 key(s)", e.Message);
        Assert.Contains("layer4.1.bn2.weight: file [10] vs model [512]", e.Message);
    }

    [Fact]
    public void A_mismatching_file_leaves_the_store_untouched()
    {
        var tiny = Tiny();
        using var source = Randomized(tiny, 3);
        var sd = StateDict(source);
        sd["conv.weight"] = sd["bn.weight"];
        var file = SavePy(PathIn("bad.pth"), sd);

        var e = Assert.Throws<WeightsMismatchException>(() => Store.Import(file, tiny));

        Assert.Contains("conv.weight: file [4] vs model [4, 3, 3, 3]", e.Message);
        Assert.Null(Store.Resolve("tiny", "imagenet"));
        Assert.Empty(Store.List());
        Assert.False(Directory.Exists(Path.Combine(Store.Root, "tiny")) && Directory.EnumerateFiles(Path.Combine(Store.Root, "tiny")).Any());
    }

    [Fact]
    public void A_long_mismatch_report_shows_the_first_ten_keys_and_how_many_more()
    {
        var sd = resnet18.StateDict;
        var dropped = sd.Keys.Where(k => !WeightsImport.IsNumBatchesTracked(k) && !ResNet18.IsHeadKey(k)).Take(13).ToList();
        foreach (var key in dropped) sd.Remove(key);

        var e = Assert.Throws<WeightsMismatchException>(() => WeightsImport.Import(sd, ResNet18, "pytorch", "short.pth"));

        Assert.Equal(dropped, e.Comparison.Missing);
        Assert.Contains("missing: 13 key(s)", e.Message);
        Assert.Contains("… and 3 more", e.Message);
        Assert.Contains(dropped[9], e.Message);
        Assert.DoesNotContain(dropped[10] + "\n", e.Message);
    }

    [Fact]
    public void Only_num_batches_tracked_may_be_missing()
    {
        var sd = resnet18.StateDict;
        var tracked = sd.Keys.Where(WeightsImport.IsNumBatchesTracked).ToList();
        Assert.Equal(20, tracked.Count); // TorchSharp's resnet18 has torchvision's 20 BatchNorm layers
        foreach (var key in tracked) sd.Remove(key);

        using (var imported = WeightsImport.Import(sd, ResNet18, "pytorch", "legacy.pth"))
        {
            Assert.Equal(tracked, imported.Comparison.Tolerated);
            Assert.Contains(imported.Notes, n => n.StartsWith("20 num_batches_tracked", StringComparison.Ordinal));
            Assert.True(Equal(sd["layer3.1.bn2.running_var"], imported.Model.state_dict()["layer3.1.bn2.running_var"]));
        }

        sd.Remove("layer2.0.bn1.running_mean");
        var e = Assert.Throws<WeightsMismatchException>(() => WeightsImport.Import(sd, ResNet18, "pytorch", "worse.pth"));
        Assert.Equal(["layer2.0.bn1.running_mean"], e.Comparison.Missing);

        // Through a file too (the tiny backbone has one BatchNorm).
        var tiny = Tiny();
        using var source = Randomized(tiny, 2);
        var small = StateDict(source);
        small.Remove("bn.num_batches_tracked");
        var stored = Store.Import(SavePy(PathIn("legacy.pth"), small), tiny);
        Assert.Contains(stored.Notes, n => n.StartsWith("1 num_batches_tracked", StringComparison.Ordinal));
    }

    [Fact]
    public void A_ten_class_head_imports_and_is_reported_as_differing()
    {
        var tiny = Tiny();
        using var source = Randomized(tiny, 10);
        var file = SavePy(PathIn("ten.pth"), source);

        var stored = Store.Import(file, tiny, "cifar10");

        Assert.Equal(("10", 10), (stored.Entry.Manifest.HeadClasses, stored.Entry.Manifest.HeadOutputs));
        Assert.Contains(stored.Notes, n => n.Contains("head differs") && n.Contains("10 output(s)"));
        using var reloaded = tiny.Create(10);
        reloaded.load(stored.Entry.WeightsPath, strict: true);
        Assert.True(Equal(source.state_dict()["fc.weight"], reloaded.state_dict()["fc.weight"]));
    }

    [Fact]
    public void A_file_without_a_head_imports_with_the_head_marked_absent_and_none_stored()
    {
        var tiny = Tiny();
        using var source = Randomized(tiny, 1000);
        var sd = StateDict(source);
        sd.Remove("fc.weight");
        sd.Remove("fc.bias");
        var file = SavePy(PathIn("backbone.pth"), sd);

        var stored = Store.Import(file, tiny);

        Assert.Equal((WeightsManifest.NoHead, 1, false), (stored.Entry.Manifest.HeadClasses, stored.Entry.Manifest.HeadOutputs, stored.Entry.Manifest.HasHead));
        Assert.Contains(stored.Notes, n => n.Contains("no head"));
        using var reloaded = tiny.Create(1);
        var keys = WeightsStore.LoadStored(reloaded, stored.Entry, tiny);
        Assert.Equal(sd.Keys.Order(), keys.Order()); // the randomly drawn head is not stored
        Assert.True(Equal(sd["conv.weight"], reloaded.state_dict()["conv.weight"]));
    }

    [Fact]
    public void A_wrapped_checkpoint_with_a_DataParallel_prefix_is_unwrapped()
    {
        var tiny = Tiny();
        using var source = Randomized(tiny, 1000);
        var inner = StateDict(source).ToDictionary(kv => "module." + kv.Key, kv => kv.Value);
        using var momentum = torch.ones(4);
        var checkpoint = new Hashtable
        {
            ["epoch"] = 90,
            ["arch"] = "tiny",
            ["state_dict"] = inner,
            ["optimizer"] = new Hashtable { ["momentum_buffer"] = momentum },
        };
        var file = SavePy(PathIn("checkpoint.pth.tar"), checkpoint);

        using var imported = WeightsImport.Import(file, tiny);

        var expected = StateDict(source);
        foreach (var (key, tensor) in imported.Model.state_dict()) Assert.True(Equal(expected[key], tensor), key);

        // {"model": …} (DeiT/timm style) too.
        var timm = SavePy(PathIn("timm.pth"), new Hashtable { ["model"] = StateDict(source) });
        using var second = WeightsImport.Import(timm, tiny);
        Assert.Equal(1000, second.HeadOutputs);
    }

    [Fact]
    public void Safetensors_round_trip()
    {
        var tiny = Tiny();
        using var source = Randomized(tiny, 5);
        var file = PathIn("tiny.safetensors");
        Safetensors.SaveStateDict(file, StateDict(source));

        Assert.Equal("safetensors", WeightsFormats.Detect(file).Name);
        var stored = Store.Import(file, tiny);

        Assert.Equal(("safetensors", "5"), (stored.Entry.Manifest.SourceFormat, stored.Entry.Manifest.HeadClasses));
        using var reloaded = tiny.Create(5);
        reloaded.load(stored.Entry.WeightsPath);
        var expected = StateDict(source);
        foreach (var (key, tensor) in reloaded.state_dict()) Assert.True(Equal(expected[key], tensor), key);
    }

    [Fact]
    public void Unknown_files_are_refused_clearly()
    {
        var text = PathIn("notes.txt");
        File.WriteAllText(text, "not weights");
        var unknown = Assert.Throws<WeightsFormatException>(() => WeightsFormats.Detect(text));
        Assert.Contains("not a weight file", unknown.Message);

        var zip = PathIn("other.zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
            archive.CreateEntry("readme.txt");
        Assert.Throws<WeightsFormatException>(() => WeightsFormats.Detect(zip));

        Assert.Throws<WeightsException>(() => Store.Import(PathIn("absent.pth"), ResNet18));
        Assert.Throws<WeightsException>(() => Store.Import(text, ResNet18, "../escape"));
    }

    [Fact]
    public void Weights_with_NaN_or_infinite_values_are_refused_naming_the_file_and_the_tensor()
    {
        var tiny = Tiny();
        using var source = Randomized(tiny, 3);
        var sd = StateDict(source);
        using (torch.no_grad()) sd["bn.running_var"][2] = float.PositiveInfinity;
        var file = SavePy(PathIn("diverged.pth"), sd);

        var e = Assert.Throws<WeightsFormatException>(() => Store.Import(file, tiny));

        Assert.Equal($"{file}: tensor 'bn.running_var' holds NaN or infinite values; such weights cannot be imported", e.Message);
        Assert.Empty(Store.List());
        using (torch.no_grad()) sd["bn.running_var"][2] = float.NaN;
        Assert.Contains("'bn.running_var' holds NaN", Assert.Throws<WeightsFormatException>(() => WeightsImport.Import(SavePy(PathIn("nan.pth"), sd), tiny)).Message);
    }

    [Fact]
    public void Unwrap_picks_the_state_dict()
    {
        var weight = torch.ones(2);
        var root = new Hashtable
        {
            ["model_state_dict"] = new Hashtable { ["a.weight"] = weight }, ["optimizer"] = new Hashtable { ["x"] = torch.zeros(2) },
        };

        var sd = StateDicts.Unwrap<Tensor>(root, "f.pth", out var wrapper);

        Assert.Equal("model_state_dict", wrapper);
        Assert.Same(weight, Assert.Single(sd).Value);

        var e = Assert.Throws<WeightsFormatException>(() => StateDicts.Unwrap<Tensor>(new Hashtable { ["epoch"] = 3 }, "f.pth", out _));
        Assert.Contains("no state_dict found", e.Message);
        Assert.Contains("epoch", e.Message);
    }
}
