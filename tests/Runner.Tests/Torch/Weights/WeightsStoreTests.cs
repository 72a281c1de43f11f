using Runner.Tests.Fixtures;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using static Runner.Tests.Fixtures.WeightsTestSupport;

namespace Runner.Tests.Torch.Weights;

/// <summary>The store's layout, resolution and loading stored weights into a model with a new head.</summary>
[Collection(ResNet18FileCollection.Name)]
public sealed class WeightsStoreTests(ResNet18File resnet18) : WeightsTestBase
{
    private static readonly ArchDefinition ResNet18 = ResNetArchs.ResNet18;

    [Fact]
    public void Loading_into_a_fresh_one_output_model_copies_every_non_head_tensor_and_leaves_the_head_fresh()
    {
        var entry = Store.Import(resnet18.Path, ResNet18).Entry;
        var expected = resnet18.StateDict;

        using var model = ResNet18.Create(1);
        var freshHead = model.state_dict().Where(kv => ResNet18.IsHeadKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        Assert.Contains(model.state_dict(), kv => !ResNet18.IsHeadKey(kv.Key) && !Equal(expected[kv.Key], kv.Value));

        var load = WeightsStore.LoadBackbone(model, entry, ResNet18);

        Assert.Equal(["fc.weight", "fc.bias"], load.SkippedHeadKeys);
        var state = model.state_dict();
        Assert.Equal(state.Count - 2, load.Loaded);
        foreach (var (key, tensor) in state)
            Assert.True(ResNet18.IsHeadKey(key) ? Equal(freshHead[key], tensor) : Equal(expected[key], tensor), key);
        Assert.Equal([1L, 512L], state["fc.weight"].shape);
        foreach (var t in freshHead.Values) t.Dispose();
    }

    [Fact]
    public void Loading_never_silently_loads_nothing()
    {
        var tiny = Tiny();
        using var source = Randomized(tiny, 3);
        var entry = Store.Import(SavePy(PathIn("tiny.pth"), source), tiny).Entry;

        // An entry for another architecture is refused.
        using var resnet = ResNet18.Create(1);
        Assert.Throws<WeightsException>(() => WeightsStore.LoadBackbone(resnet, entry, ResNet18));

        // A model whose non-head keys are not all in the stored file is refused.
        var wider = new ArchDefinition("tiny", 32, Normalization.ImageNet, (n, _) => TorchSharp.torch.nn.Sequential(
            ("conv", TorchSharp.torch.nn.Conv2d(3, 8, 3)), ("fc", TorchSharp.torch.nn.Linear(8, n))), "fc") { BlockCount = 1 };
        using var other = wider.Create(2);
        var e = Assert.Throws<WeightsException>(() => WeightsStore.LoadBackbone(other, entry, wider));
        Assert.Contains("do not fit", e.Message);

        // The right model loads every non-head tensor.
        using var model = tiny.Create(5);
        var load = WeightsStore.LoadBackbone(model, entry, tiny);
        Assert.Equal(model.state_dict().Count - 2, load.Loaded);
        Assert.True(Equal(source.state_dict()["bn.running_var"], model.state_dict()["bn.running_var"]));
    }

    [Fact]
    public void Resolve_list_and_the_absent_message()
    {
        Assert.Null(Store.Resolve("resnet18", "imagenet"));
        Assert.Empty(Store.List());

        var effnet = new ArchDefinition("efficientnet_b0", 224, Normalization.ImageNet, ResNet18.Build, "classifier.1",
            ReleaseWeights.HubSuffix("https://example.org/efficientnet_b0_rwightman-7f5810bc.pth")) { BlockCount = 4 };
        Assert.Equal(
            $"no 'imagenet' weights for efficientnet_b0 in {Store.Root}: run `runner weights fetch efficientnet_b0` or `runner weights import FILE --arch efficientnet_b0`",
            Store.AbsentMessage(effnet));
        Assert.Equal(Store.AbsentMessage(effnet), Store.AbsentMessage("efficientnet_b0"));
        Assert.Equal(
            $"no 'mine' weights for resnet18 in {Store.Root}: run `runner weights import FILE --arch resnet18 --name mine`",
            Store.AbsentMessage(ResNet18, "mine"));
        Assert.Equal(Store.AbsentMessage(effnet), Assert.Throws<WeightsException>(() => Store.Require(effnet)).Message);

        var tiny = Tiny();
        using var source = Randomized(tiny, 2);
        var file = SavePy(PathIn("t.pth"), source);
        Store.Import(file, tiny, "b");
        Store.Import(file, tiny, "a");
        Assert.Equal(["a", "b"], Store.List().Select(e => e.Name));
        Assert.NotNull(Store.Resolve("tiny", "a"));
        Assert.Null(Store.Resolve("tiny", "../tiny/a"));

        // A corrupted stored file fails verification; a manifest without its weight file is not an entry.
        var entry = Store.Resolve("tiny", "b")!;
        File.AppendAllText(entry.WeightsPath, "x");
        Assert.False(WeightsStore.Verify(entry));
        File.Delete(entry.WeightsPath);
        Assert.Null(Store.Resolve("tiny", "b"));
        Assert.Equal(["a"], Store.List().Select(e => e.Name));
    }

    [Fact]
    public void Home_honours_RUNNER_HOME_and_defaults_to_the_user_cache()
    {
        var home = PathIn("custom-home");
        Assert.Equal(home, Runner.Core.Util.RunnerHome.Root(v => v == "RUNNER_HOME" ? home : null));
        Assert.Equal(Path.Combine(home, "weights"), WeightsStore.Default(v => v == "RUNNER_HOME" ? home : null).Root);
        var user = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(user, ".cache", "runner"), Runner.Core.Util.RunnerHome.Root(_ => null));
        Assert.Equal(Path.Combine(user, ".cache", "runner"), Runner.Core.Util.RunnerHome.Root(_ => ""));
    }
}
