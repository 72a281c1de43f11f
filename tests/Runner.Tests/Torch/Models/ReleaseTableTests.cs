using System.Text.Json;
using Runner.Core.Config;
using Runner.Tests.Fixtures;
using Runner.Torch.Models;
using Runner.Torch.Weights;

namespace Runner.Tests.Torch.Models;

/// <summary>
/// The release tables <c>weights fetch</c> downloads from: consistent checksums, torchvision's own tables, and the files the
/// main experiment needs.
/// </summary>
public sealed class ReleaseTableTests
{
    [Fact]
    public void Every_architecture_without_bundled_weights_has_a_release_whose_checksum_agrees_with_its_name()
    {
        foreach (var arch in ArchRegistry.Default.All.Where(a => a.Bundled is null))
        {
            Assert.NotNull(arch.Release);
            foreach (var release in arch.Releases)
            {
                Assert.Equal("https", new Uri(release.Url).Scheme);
                if (release.Rule == ChecksumRule.Pinned)
                    Assert.StartsWith(ReleaseWeights.HubSuffixOf(release.FileName)!, release.Sha256); // the name's suffix is the digest's start
                else if (release.Rule == ChecksumRule.HubSuffix)
                    Assert.Equal(ReleaseWeights.HubSuffixOf(release.FileName), release.ExpectedSha256);
            }
            Assert.Equal(arch.Releases.Count(), arch.Releases.Select(r => r.Tag).Distinct().Count());
        }
    }

    /// <summary>
    /// <c>weights: imagenet</c> trains at the default release's crop unless <c>image_size</c> says otherwise, and a tag
    /// fine-tuned at another size (ViT's SWAG end-to-end weights: 384 px) brings its own.
    /// </summary>
    [Fact]
    public void The_default_image_size_is_the_crop_of_the_release_the_weights_name()
    {
        foreach (var arch in ArchRegistry.Default.All.Where(a => a.Release is not null))
            Assert.True(arch.DefaultImageSize == arch.Release!.Transforms!.Crop,
                $"{arch.Name}: default size {arch.DefaultImageSize}, release crop {arch.Release.Transforms.Crop}");
        Assert.Equal(384, ArchRegistry.Default.DefaultImageSize("vit_b_16", "IMAGENET1K_SWAG_E2E_V1"));
        Assert.Equal(224, ArchRegistry.Default.DefaultImageSize("vit_b_16", "imagenet"));
        Assert.Equal(224, ArchRegistry.Default.DefaultImageSize("vit_b_16", "none"));
        Assert.Equal(256, ArchRegistry.Default.DefaultImageSize("swin_v2_t", "imagenet"));
    }

    /// <summary>
    /// Inputs are normalised as the default release was trained (EfficientNetV2-L, ported from TensorFlow, and Xception with
    /// mean = std = 0.5). InceptionV3 is the exception that proves it: torchvision scores it with ImageNet's mean and std and
    /// its <c>transform_input</c> turns them into 0.5s, which runner feeds directly.
    /// </summary>
    [Fact]
    public void Each_architecture_normalises_as_its_default_release_was_trained()
    {
        foreach (var arch in ArchRegistry.Default.All.Where(a => a.Release is not null && a.Name != "inception_v3"))
        {
            Assert.True(arch.Normalization.Mean.SequenceEqual(arch.Release!.Transforms!.Mean), $"{arch.Name}: mean");
            Assert.True(arch.Normalization.Std.SequenceEqual(arch.Release.Transforms.Std), $"{arch.Name}: std");
        }
        Assert.Equal(Normalization.Inception, ArchRegistry.Default["inception_v3"].Normalization);
    }

    /// <summary>
    /// Every torchvision architecture's tags, files, default tag, top-1 and transforms are those of the installed torchvision
    /// (Debian's 0.14.1), except the EfficientNet B0–B7 IMAGENET1K_V1 files, renamed since to names that carry their real
    /// SHA-256 (pytorch/vision#8036; the old names fail torch.hub's hash check).
    /// </summary>
    [Fact]
    public void The_tables_are_torchvisions()
    {
        var archs = ArchRegistry.Default.All
            .Where(a => a.Release?.Url.StartsWith(TorchvisionRelease.Models, StringComparison.Ordinal) == true).ToList();
        var script = Path.Combine(ReferenceFixtures.RepoRoot(), "tests", "fixtures", "torchvision_weights.py");
        using var tables = JsonDocument.Parse(ReferenceFixtures.RunPython([script, .. archs.Select(a => a.Name)]));
        foreach (var arch in archs)
        {
            var table = tables.RootElement.GetProperty(arch.Name);
            Assert.True(table.ValueKind == JsonValueKind.Object, $"torchvision 0.14 has no {arch.Name}");
            Assert.Equal(table.GetProperty("default").GetString(), arch.Release!.Tag);
            var expected = table.GetProperty("tags").EnumerateArray().Select(t => (
                t.GetProperty("tag").GetString()!,
                Renamed(t.GetProperty("file").GetString()!),
                t.GetProperty("top1").GetDouble(),
                t.GetProperty("resize").GetInt32(),
                t.GetProperty("crop").GetInt32(),
                t.GetProperty("interpolation").GetString()!,
                Joined(t.GetProperty("mean").EnumerateArray().Select(v => v.GetDouble())),
                Joined(t.GetProperty("std").EnumerateArray().Select(v => v.GetDouble()))))
                .OrderBy(t => t.Item1, StringComparer.Ordinal).ToList();
            var actual = arch.Releases.Select(r => (
                r.Tag, r.FileName, r.Top1!.Value, r.Transforms!.Resize, r.Transforms.Crop, r.Transforms.Interpolation,
                Joined(r.Transforms.Mean.Select(v => (double)v)), Joined(r.Transforms.Std.Select(v => (double)v))))
                .OrderBy(t => t.Tag, StringComparer.Ordinal).ToList();
            Assert.Equal(expected, actual);
        }
    }

    private static string Joined(IEnumerable<double> values) =>
        string.Join('/', values.Select(v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>torchvision 0.14's EfficientNet V1 file names → today's (pytorch/vision#8036).</summary>
    private static string Renamed(string file) => file switch
    {
        "efficientnet_b0_rwightman-3dd342df.pth" => "efficientnet_b0_rwightman-7f5810bc.pth",
        "efficientnet_b1_rwightman-533bc792.pth" => "efficientnet_b1_rwightman-bac287d4.pth",
        "efficientnet_b2_rwightman-bcdf34b7.pth" => "efficientnet_b2_rwightman-c35c1473.pth",
        "efficientnet_b3_rwightman-cf984f9c.pth" => "efficientnet_b3_rwightman-b3899882.pth",
        "efficientnet_b4_rwightman-7eb33cd5.pth" => "efficientnet_b4_rwightman-23ab8bcd.pth",
        "efficientnet_b5_lukemelas-b6417697.pth" => "efficientnet_b5_lukemelas-1a07897c.pth",
        "efficientnet_b6_lukemelas-c76e70fd.pth" => "efficientnet_b6_lukemelas-24a108a5.pth",
        "efficientnet_b7_lukemelas-dcc49843.pth" => "efficientnet_b7_lukemelas-c5b4e57e.pth",
        _ => file,
    };

    [Fact]
    public void A_checksum_rule_needs_what_it_checks_against()
    {
        Assert.Throws<ArgumentException>(() => ReleaseWeights.HubSuffix("https://example.org/model.pth"));
        Assert.Throws<ArgumentException>(() => ReleaseWeights.Pinned("https://example.org/model-7f5810bc.pth", "7f5810bc"));
        Assert.Null(ReleaseWeights.Unverified("https://example.org/model.pth").ExpectedSha256);
        Assert.Equal("43020ad28", ReleaseWeights.HubSuffixOf("xception-43020ad28.pth"));
        Assert.Equal("3ffadce67e", ReleaseWeights.HubSuffixOf("mnasnet0.5_top1_67.823-3ffadce67e.pth"));
    }

    [Fact]
    public void A_tag_selects_its_release_and_an_unknown_tag_lists_the_known_ones()
    {
        var resnet50 = ArchRegistry.Default["resnet50"];
        Assert.EndsWith("resnet50-11ad3fa6.pth", FetchSource.For(resnet50).Url.ToString()); // imagenet: torchvision's DEFAULT, V2
        Assert.EndsWith("resnet50-0676ba61.pth", FetchSource.For(resnet50, tag: "IMAGENET1K_V1").Url.ToString());
        var e = Assert.Throws<WeightsException>(() => FetchSource.For(resnet50, tag: "IMAGENET1K_V3"));
        Assert.Equal("resnet50 has no release tagged 'IMAGENET1K_V3'; its tags: IMAGENET1K_V2, IMAGENET1K_V1", e.Message);
    }

    /// <summary>
    /// What <c>runner weights fetch --for experiments/all.yaml</c> requests on an empty store: today's file names (the
    /// EfficientNets were renamed upstream, pytorch/vision#8036; B1's default is torchvision's V2), checked against
    /// torchvision's and timm's sources.
    /// </summary>
    [Fact]
    public void The_main_experiment_fetches_only_files_published_today()
    {
        // The loader checks that the dataset exists: point it at empty folders instead of Kaggle's images.
        var data = Directory.CreateTempSubdirectory("runner-all-yaml-").FullName;
        Directory.CreateDirectory(Path.Combine(data, "train"));
        Directory.CreateDirectory(Path.Combine(data, "test"));
        var file = Path.Combine(ReferenceFixtures.RepoRoot(), "experiments", "all.yaml");
        var experiment = new ExperimentLoader(ArchRegistry.Default).Parse(File.ReadAllText(file).Replace("data/dogs-vs-cats/", data + "/"), file);
        Directory.Delete(data, recursive: true);
        var urls = experiment.Backbones.Where(b => b.Weights == WeightsStore.DefaultName)
            .Select(b => FetchSource.For(ArchRegistry.Default[b.Arch]).Url.ToString()).Order().ToList();

        Assert.Equal(
        [
            "https://download.pytorch.org/models/efficientnet_b0_rwightman-7f5810bc.pth",
            "https://download.pytorch.org/models/efficientnet_b1-c27df63c.pth",
            "https://download.pytorch.org/models/efficientnet_b2_rwightman-c35c1473.pth",
            "https://download.pytorch.org/models/efficientnet_b3_rwightman-b3899882.pth",
            "https://download.pytorch.org/models/efficientnet_b4_rwightman-23ab8bcd.pth",
            "https://download.pytorch.org/models/efficientnet_b5_lukemelas-1a07897c.pth",
            "https://download.pytorch.org/models/inception_v3_google-0cc3c7bd.pth",
            "https://download.pytorch.org/models/mobilenet_v2-7ebf99e0.pth",
            "https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-cadene/xception-43020ad28.pth",
        ], urls);
    }
}
