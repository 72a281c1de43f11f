using System.Text.Json.Nodes;
using TorchSharp.PyBridge;
using Runner.Tests.Fixtures;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using static Runner.Tests.Fixtures.WeightsTestSupport;

namespace Runner.Tests.Torch.Weights;

/// <summary>
/// The identity that keys training depends on the weight file's content alone: the same file imported into two empty
/// runner homes gives the same identity and the same stored bytes, whatever its format and whether it has a head; a
/// head the file lacks is never stored; release and bundled files are known before they are on the machine.
/// </summary>
public sealed class WeightsIdentityTests : WeightsTestBase
{
    private WeightsStore Home(string name) => new(PathIn(Path.Combine(name, "weights")));

    /// <summary>Writes one tiny state_dict, with or without its <c>fc</c> head, in the named format.</summary>
    private string Write(string format, bool head)
    {
        var tiny = Tiny();
        using var model = Randomized(tiny, 3);
        var state = StateDict(model).Where(kv => head || !tiny.IsHeadKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        var zip = SavePy(PathIn($"{format}-{head}.zip.pth"), state);
        switch (format)
        {
            case "zip":
                return zip;
            case "legacy":
                var legacy = PathIn($"legacy-{head}.pth");
                ReferenceFixtures.RunPython("-c",
                    "import sys, torch; torch.save(torch.load(sys.argv[1]), sys.argv[2], _use_new_zipfile_serialization=False)", zip, legacy);
                return legacy;
            default:
                var safetensors = PathIn($"{head}.safetensors");
                Safetensors.SaveStateDict(safetensors, state);
                return safetensors;
        }
    }

    [Theory]
    [InlineData("zip", true)]
    [InlineData("zip", false)]
    [InlineData("legacy", true)]
    [InlineData("legacy", false)]
    [InlineData("safetensors", true)]
    [InlineData("safetensors", false)]
    public void A_file_imported_into_two_empty_homes_has_one_identity_and_one_stored_file(string format, bool head)
    {
        var tiny = Tiny();
        var file = Write(format, head);

        var a = Home("a").Import(file, tiny).Entry;
        var b = Home("b").Import(file, tiny).Entry;

        Assert.Equal(WeightsStore.Sha256Of(file), a.Identity);
        Assert.Equal(a.Identity, b.Identity);
        Assert.Equal(a.Manifest.Sha256, b.Manifest.Sha256);
        Assert.Equal(File.ReadAllBytes(a.WeightsPath), File.ReadAllBytes(b.WeightsPath));
        using var stored = tiny.Create(a.Manifest.HeadOutputs);
        var keys = WeightsStore.LoadStored(stored, a, tiny);
        Assert.Equal(head, keys.Any(tiny.IsHeadKey));
    }

    [Fact]
    public void The_bundled_onnx_file_is_its_pinned_identity_in_every_home_and_is_stored_without_a_head()
    {
        var arch = MlNetResNetArchs.MlNetResNet18;
        Assert.Equal(arch.Bundled!.Sha256, WeightsStore.Sha256Of(arch.Bundled.FullPath));
        Assert.Equal(arch.Bundled.Sha256, BackboneWeights.Identity(arch, "imagenet", Home("a")));
        Assert.False(Directory.Exists(Home("a").Root), "knowing the identity imports nothing");

        var a = Home("a").Require(arch);
        var b = Home("b").Require(arch);

        Assert.Equal(arch.Bundled.Sha256, a.Identity);
        Assert.Equal(a.Manifest.Sha256, b.Manifest.Sha256);
        using var stored = arch.Create(a.Manifest.HeadOutputs);
        Assert.DoesNotContain(WeightsStore.LoadStored(stored, a, arch), arch.IsHeadKey);
    }

    [Fact]
    public void A_release_file_has_its_published_checksum_as_identity_before_and_after_it_is_stored()
    {
        var file = Write("zip", head: true);
        var sha = WeightsStore.Sha256Of(file);
        var release = Tiny(ReleaseWeights.HubSuffix($"https://example.org/tiny-{sha[..8]}.pth"));
        var other = Tiny(ReleaseWeights.HubSuffix("https://example.org/tiny-0123abcd.pth"));

        Assert.Equal(sha[..8], BackboneWeights.Identity(release, "imagenet", Store));
        Assert.Equal(sha[..8], Store.Import(file, release).Entry.Identity);
        Assert.Equal(sha[..8], BackboneWeights.Resolve(release, "imagenet", Store).Digest);
        // Another file under the same name is identified by its own content.
        Assert.Equal(sha, Home("other").Import(file, other).Entry.Identity);
        // A name without a release or an import cannot be known.
        Assert.Throws<WeightsException>(() => BackboneWeights.Identity(release, "mine", Store));
    }

    /// <summary><c>weights: IMAGENET1K_V1</c> keys training before the file is here, exactly as it will once fetched.</summary>
    [Fact]
    public void A_release_tag_has_its_files_checksum_as_identity_before_and_after_it_is_stored()
    {
        var file = Write("zip", head: true);
        var sha = WeightsStore.Sha256Of(file);
        var arch = Tiny(ReleaseWeights.HubSuffix("https://example.org/tiny-v2-0123abcd.pth") with { Tag = "IMAGENET1K_V2" }) with
        {
            OtherReleases = [ReleaseWeights.HubSuffix($"https://example.org/tiny-v1-{sha[..8]}.pth") with { Tag = "IMAGENET1K_V1" }],
        };

        Assert.Equal("0123abcd", BackboneWeights.Identity(arch, "imagenet", Store));
        Assert.Equal(sha[..8], BackboneWeights.Identity(arch, "IMAGENET1K_V1", Store));
        Assert.Throws<WeightsException>(() => BackboneWeights.Identity(arch, "IMAGENET1K_V9", Store));
        Assert.Equal(sha[..8], Store.Import(file, arch, "IMAGENET1K_V1").Entry.Identity);
        Assert.Equal(sha[..8], BackboneWeights.Resolve(arch, "IMAGENET1K_V1", Store).Digest);
    }

    [Fact]
    public void A_manifest_from_before_identities_is_migrated_once_to_its_source_digest()
    {
        var tiny = Tiny();
        var file = Write("zip", head: false);
        var entry = Store.Import(file, tiny).Entry;
        var old = JsonNode.Parse(File.ReadAllText(entry.ManifestPath))!.AsObject();
        Assert.True(old.Remove("identity"));
        File.WriteAllText(entry.ManifestPath, old.ToJsonString());

        var migrated = Store.Resolve(tiny.Name, "imagenet")!;

        Assert.Equal(WeightsStore.Sha256Of(file), migrated.Identity);
        Assert.Equal(migrated.Identity, JsonNode.Parse(File.ReadAllText(entry.ManifestPath))!["identity"]!.GetValue<string>());
        Assert.Equal(migrated.Identity, Home("fresh").Import(file, tiny).Entry.Identity);
    }
}
