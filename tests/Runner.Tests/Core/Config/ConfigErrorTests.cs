using Runner.Core.Config;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Config;

/// <summary>ExperimentLoader: every problem is reported with FILE:LINE:COL and, where possible, a suggestion.</summary>
public sealed class ConfigErrorTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _data;

    public ConfigErrorTests() => _data = _temp.Sub("dataset");

    public void Dispose() => _temp.Dispose();

    private string[] Head() => ["name: exp", "dataset:", "  kind: folder", $"  path: {_data}"];

    [Fact]
    public void Unknown_top_level_key_suggests_the_right_one_at_its_position()
    {
        var e = Yaml.Fails(Yaml.Lines([.. Head(), "backbone:", "  - resnet18"]));

        var error = Assert.Single(e.Errors, x => x.Message.Contains("'backbone'"));
        Assert.Equal(("exp.yaml", 5, 1), (error.File, error.Line, error.Column));
        Assert.Contains("did you mean 'backbones'?", error.Message);
        // and the real key is then missing
        Assert.Contains(e.Errors, x => x.Message.Contains("missing required key 'backbones'"));
    }

    [Fact]
    public void Unknown_key_inside_defaults_suggests_epochs()
    {
        var e = Yaml.Fails(Yaml.Lines([.. Head(), "defaults:", "  epoch: 3", "backbones:", "  - resnet18"]));

        var error = Assert.Single(e.Errors);
        Assert.Equal((6, 3), (error.Line, error.Column));
        Assert.Contains("unknown key 'epoch' in 'defaults'", error.Message);
        Assert.Contains("did you mean 'epochs'?", error.Message);
    }

    [Fact]
    public void Wrong_type_names_the_field_and_points_at_the_value()
    {
        var e = Yaml.Fails(Yaml.Lines([.. Head(), "defaults:", "  epochs: ten", "backbones:", "  - resnet18"]));

        var error = Assert.Single(e.Errors);
        Assert.Equal((6, 11), (error.Line, error.Column));
        Assert.Contains("defaults.epochs", error.Message);
        Assert.Contains("integer", error.Message);
        Assert.Contains("'ten'", error.Message);
    }

    [Fact]
    public void Out_of_range_value_is_an_error()
    {
        var e = Yaml.Fails(Yaml.Lines([.. Head(), "defaults:", "  epochs: 0", "backbones:", "  - resnet18"]));

        var error = Assert.Single(e.Errors);
        Assert.Equal((6, 11), (error.Line, error.Column));
        Assert.Contains("out of range", error.Message);
    }

    [Fact]
    public void Unknown_backbone_suggests_a_known_one()
    {
        var e = Yaml.Fails(Yaml.Lines([.. Head(), "backbones:", "  - mobilenet_v2", "  - resnet81"]));

        var error = Assert.Single(e.Errors);
        Assert.Equal((7, 5), (error.Line, error.Column));
        Assert.Contains("unknown backbone 'resnet81'", error.Message);
        Assert.Contains("did you mean 'resnet18'?", error.Message);
        Assert.Contains("known: mobilenet_v2, resnet18", error.Message);
    }

    [Fact]
    public void Unknown_arch_is_reported_at_the_arch_value()
    {
        var e = Yaml.Fails(Yaml.Lines([.. Head(), "backbones:", "  - { name: small, arch: resnet19 }"]));

        var error = Assert.Single(e.Errors);
        Assert.Equal((6, 26), (error.Line, error.Column));
        Assert.Contains("did you mean 'resnet18'?", error.Message);
    }

    [Fact]
    public void Missing_dataset_directory_names_the_path_at_the_path_value()
    {
        var missing = Path.Combine(_temp.Path, "no-such-dir");
        var e = Yaml.Fails(Yaml.Lines("name: exp", "dataset:", "  kind: folder", $"  path: {missing}", "backbones: [resnet18]"));

        var error = Assert.Single(e.Errors);
        Assert.Equal((4, 9), (error.Line, error.Column));
        Assert.Contains($"'{missing}'", error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void Duplicate_backbone_name_is_reported_at_the_second_one()
    {
        var e = Yaml.Fails(Yaml.Lines([.. Head(), "backbones:", "  - resnet18", "  - mobilenet_v2", "  - { name: resnet18, epochs: 2 }"]));

        var error = Assert.Single(e.Errors);
        Assert.Equal((8, 13), (error.Line, error.Column));
        Assert.Contains("'resnet18' is listed twice", error.Message);
    }

    [Fact]
    public void Unknown_augmentation_reference_suggests_a_defined_one()
    {
        var e = Yaml.Fails(Yaml.Lines([.. Head(),
            "augmentations:",
            "  heavy:",
            "    - hflip: { p: 0.5 }",
            "backbones:",
            "  - { name: resnet18, augment: heavvy }"]));

        var error = Assert.Single(e.Errors);
        Assert.Equal(9, error.Line);
        Assert.Contains("backbones[0].augment", error.Message);
        Assert.Contains("no augmentation named 'heavvy'", error.Message);
        Assert.Contains("did you mean 'heavy'?", error.Message);
    }

    [Fact]
    public void Unknown_augmentation_kind_is_an_error()
    {
        var e = Yaml.Fails(Yaml.Lines([.. Head(), "augmentations:", "  a:", "    - hflp: { p: 0.5 }", "backbones: [resnet18]"]));

        var error = Assert.Single(e.Errors);
        Assert.Equal((7, 7), (error.Line, error.Column));
        Assert.Contains("did you mean 'hflip'?", error.Message);
    }

    [Fact]
    public void Malformed_yaml_reports_the_position_of_the_syntax_error()
    {
        // "path" is indented one space less than "kind"
        var e = Yaml.Fails(Yaml.Lines("name: exp", "dataset:", "  kind: folder", " path: x", "backbones:", "  - resnet18"));

        var error = Assert.Single(e.Errors);
        Assert.Equal(("exp.yaml", 4, 2), (error.File, error.Line, error.Column));
        Assert.Contains("did not find expected key", error.Message);
    }

    [Fact]
    public void Unterminated_quote_is_reported_where_the_string_starts()
    {
        var e = Yaml.Fails(Yaml.Lines("name: exp", "dataset:", "  kind: folder", "  path: \"data/x", "backbones:", "  - resnet18"));

        var error = Assert.Single(e.Errors);
        Assert.Equal((4, 9), (error.Line, error.Column));
    }

    [Fact]
    public void Unclosed_flow_sequence_is_a_config_error_not_a_crash()
    {
        var e = Yaml.Fails(Yaml.Lines("name: exp", "dataset:", "  kind: folder", "  path: [a, b", "backbones:", "  - resnet18"));

        var error = Assert.Single(e.Errors);
        Assert.True(error.Line >= 4, $"syntax error reported at line {error.Line}");
    }

    [Fact]
    public void Several_errors_are_reported_together_in_file_order()
    {
        // backbones come first in the file but are read after the dataset: errors must still be in file order
        var missing = Path.Combine(_temp.Path, "nope");
        var e = Yaml.Fails(Yaml.Lines(
            "backbones:",
            "  - resnet81",
            "name: exp",
            "dataset:",
            "  kind: folder",
            $"  path: {missing}",
            "defaults:",
            "  epochs: ten",
            "  batchsize: 3"));

        Assert.Equal([(2, 5), (6, 9), (8, 11), (9, 3)], e.Errors.Select(x => (x.Line, x.Column)));
        Assert.Contains("resnet81", e.Errors[0].Message);
        Assert.Contains("does not exist", e.Errors[1].Message);
        Assert.Contains("integer", e.Errors[2].Message);
        Assert.Contains("did you mean 'batch_size'?", e.Errors[3].Message);
        // the exception message lists them all, one per line
        Assert.Equal(e.Errors.Select(x => x.ToString()), e.Message.Split(Environment.NewLine));
    }

    [Fact]
    public void Load_reports_errors_against_the_file_path()
    {
        var file = _temp.File("my-exp.yaml", Yaml.Lines([.. Head(), "backbones:", "  - resnet81"]));

        var e = Assert.Throws<ConfigException>(() => new ExperimentLoader(new FakeArchCatalog()).Load(file));

        var error = Assert.Single(e.Errors);
        Assert.Equal(file, error.File);
        Assert.StartsWith($"{file}:6:5: ", error.ToString());
    }

    [Fact]
    public void Load_of_a_missing_file_is_a_config_error()
    {
        var file = Path.Combine(_temp.Path, "absent.yaml");
        var e = Assert.Throws<ConfigException>(() => new ExperimentLoader(new FakeArchCatalog()).Load(file));
        Assert.Equal($"{file}: experiment file not found", Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void ConfigError_ToString_is_file_line_col_message()
    {
        Assert.Equal("a/b.yaml:3:7: bad thing", new ConfigError("a/b.yaml", 3, 7, "bad thing").ToString());
        Assert.Equal("a/b.yaml: no location", new ConfigError("a/b.yaml", 0, 0, "no location").ToString());
    }

    [Theory]
    [InlineData("  split: { validation: \"NaN\" }", "dataset.split.validation")]
    [InlineData("defaults:\n  optimizer: { name: adam, lr: NaN }", "defaults.optimizer.lr")]
    [InlineData("defaults:\n  grad_clip: 'NaN'", "defaults.grad_clip")]
    [InlineData("defaults:\n  label_smoothing: NaN", "defaults.label_smoothing")]
    [InlineData("defaults:\n  optimizer: { name: adamw, lr: 0.001, weight_decay: NaN }", "defaults.optimizer.weight_decay")]
    [InlineData("defaults:\n  early_stopping: { patience: 2, min_delta: NaN }", "defaults.early_stopping.min_delta")]
    public void A_quoted_nan_is_not_a_number_so_it_never_passes_a_range_check(string yaml, string field)
    {
        var e = Yaml.Fails(Yaml.Lines([.. Head(), .. yaml.Split('\n'), "backbones:", "  - resnet18"]));

        Assert.Contains(e.Errors, x => x.Message.StartsWith($"{field}: expected a number, got 'NaN'", StringComparison.Ordinal));
    }
}
