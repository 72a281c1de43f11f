using Runner.Core.Config;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Config;

/// <summary>Experiment files a careless or hostile user could write: each is refused with a position, never crashes or hangs.</summary>
public sealed class ExperimentFileLimitsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private ConfigException LoadFails(string text)
    {
        var file = _dir.File($"{Guid.NewGuid():N}.yaml", text);
        return Assert.Throws<ConfigException>(() => new ExperimentLoader(new FakeArchCatalog()).Load(file));
    }

    [Theory]
    [InlineData("[", 30_000)]
    [InlineData("{a: ", 30_000)]
    [InlineData("[{a: ", 15_000)]
    public void Deep_nesting_is_refused_where_it_gets_too_deep_instead_of_overflowing_the_stack(string open, int times)
    {
        var text = "name: x\ndataset: " + string.Concat(Enumerable.Repeat(open, times)) + "\n";

        var error = Assert.Single(LoadFails(text).Errors);
        Assert.Contains($"nested more than {ExperimentLoader.MaxNesting} deep", error.Message);
        Assert.True(error.Line >= 1 && error.Column >= 1, error.ToString());
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_without_reading_it_all()
    {
        var error = Assert.Single(LoadFails("# " + new string('x', ExperimentLoader.MaxFileBytes)).Errors);
        Assert.Contains("larger than 1024 KiB", error.Message);
    }

    [Fact]
    public void An_endless_device_file_is_refused_quickly()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<ConfigException>(() => new ExperimentLoader(new FakeArchCatalog()).Load("/dev/zero"));
        Assert.Contains("larger than", Assert.Single(e.Errors).Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_folder_given_as_the_experiment_file_is_named_as_such()
    {
        var e = Assert.Throws<ConfigException>(() => new ExperimentLoader(new FakeArchCatalog()).Load(_dir.Path));
        Assert.Contains("is a folder", Assert.Single(e.Errors).Message);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("-rf")]
    [InlineData("a/b")]
    public void Names_that_are_not_plain_names_are_refused_at_the_name(string name)
    {
        var data = _dir.Sub("data");
        var e = Yaml.Fails(Yaml.Basic(data).Replace("name: exp", $"name: '{name}'"));
        Assert.Contains(e.Errors, x => x.Line == 1 && x.Message.StartsWith("name: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Backbone_and_ensemble_names_become_file_names_so_they_cannot_hold_a_path()
    {
        var data = _dir.Sub("data");
        var e = Yaml.Fails(Yaml.Basic(data).Replace("  - resnet18", "  - { name: ../../../escape, arch: resnet18 }") +
            "ensembles:\n  '..': { members: [mobilenet_v2], method: mean }\n");

        Assert.Contains(e.Errors, x => x.Line == 12 && x.Message.StartsWith("backbones[0].name: '../../../escape' must start with a letter or digit", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Line == 15 && x.Message.StartsWith("ensembles: '..' must start", StringComparison.Ordinal));
    }

    [Fact]
    public void A_300_character_name_is_refused_at_validation_not_at_the_report()
    {
        var e = Yaml.Fails(Yaml.Basic(_dir.Sub("data")).Replace("name: exp", $"name: {new string('a', 300)}"));
        Assert.Contains(e.Errors, x => x.Line == 1 && x.Message == "name: 300 characters; at most 100");
    }
}
