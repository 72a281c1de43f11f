using Runner.Core.Config;
using Runner.Tests.Fixtures;
using Runner.Torch.Models;
using Runner.Torch.Weights;

namespace Runner.Tests.Torch.Models;

/// <summary>The release table <c>weights fetch</c> downloads from: consistent checksums, and the files the main experiment needs.</summary>
public sealed class ReleaseTableTests
{
    [Fact]
    public void Every_architecture_without_bundled_weights_has_a_release_whose_checksum_agrees_with_its_name()
    {
        foreach (var arch in ArchRegistry.Default.All.Where(a => a.Bundled is null))
        {
            var release = arch.Release;
            Assert.NotNull(release);
            Assert.Equal("https", new Uri(release.Url).Scheme);
            if (release.Rule == ChecksumRule.Pinned)
                Assert.StartsWith(ReleaseWeights.HubSuffixOf(release.FileName)!, release.Sha256); // the name's suffix is the digest's start
            else if (release.Rule == ChecksumRule.HubSuffix)
                Assert.Equal(ReleaseWeights.HubSuffixOf(release.FileName), release.ExpectedSha256);
        }
    }

    [Fact]
    public void A_checksum_rule_needs_what_it_checks_against()
    {
        Assert.Throws<ArgumentException>(() => ReleaseWeights.HubSuffix("https://example.org/model.pth"));
        Assert.Throws<ArgumentException>(() => ReleaseWeights.Pinned("https://example.org/model-7f5810bc.pth", "7f5810bc"));
        Assert.Null(ReleaseWeights.Unverified("https://example.org/model.pth").ExpectedSha256);
        Assert.Equal("43020ad28", ReleaseWeights.HubSuffixOf("xception-43020ad28.pth"));
    }

    /// <summary>
    /// What <c>runner weights fetch --for experiments/all.yaml</c> requests on an empty store: today's file names (the
    /// EfficientNets were renamed upstream, pytorch/vision#8036), checked against torchvision's and timm's sources.
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
            "https://download.pytorch.org/models/efficientnet_b1_rwightman-bac287d4.pth",
            "https://download.pytorch.org/models/efficientnet_b2_rwightman-c35c1473.pth",
            "https://download.pytorch.org/models/efficientnet_b3_rwightman-b3899882.pth",
            "https://download.pytorch.org/models/efficientnet_b4_rwightman-23ab8bcd.pth",
            "https://download.pytorch.org/models/efficientnet_b5_lukemelas-1a07897c.pth",
            "https://download.pytorch.org/models/inception_v3_google-0cc3c7bd.pth",
            "https://download.pytorch.org/models/mobilenet_v2-b0353104.pth",
            "https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-cadene/xception-43020ad28.pth",
        ], urls);
    }
}
