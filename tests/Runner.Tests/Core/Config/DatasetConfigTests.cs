using Runner.Core.Config;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Config;

/// <summary>The new <c>dataset</c> keys in YAML: shapes, defaults, and FILE:LINE:COL errors with suggestions.</summary>
public sealed class DatasetConfigTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _dir;
    private readonly string _csv;

    public DatasetConfigTests()
    {
        _dir = _temp.Sub("train");
        _csv = _temp.File("labels.csv", "path,label\n");
    }

    public void Dispose() => _temp.Dispose();

    private static string Yaml(params string[] dataset) =>
        Fixtures.Yaml.Lines(["name: exp", "dataset:", .. dataset.Select(l => "  " + l), "backbones: [resnet18]"]);

    [Fact]
    public void Filename_pattern_keeps_the_labels_in_the_order_written()
    {
        var spec = Fixtures.Yaml.Parse(Yaml("kind: filename-pattern", $"path: {_dir}",
            "labels: { dog: \"^dog\\\\.\", cat: '^cat\\.' }",
            $"predict: {_temp.Sub("test1")}", "on_bad_image: skip"));

        Assert.Equal([new LabelPattern("dog", @"^dog\."), new LabelPattern("cat", @"^cat\.")], spec.Dataset.Labels);
        Assert.Equal(DatasetKinds.FilenamePattern, spec.Dataset.Kind);
        Assert.Equal(_temp.Sub("test1"), spec.Dataset.Predict);
        Assert.Equal(BadImagePolicy.Skip, spec.Dataset.OnBadImage);
    }

    [Fact]
    public void Defaults_are_fail_no_predict_no_labels()
    {
        var spec = Fixtures.Yaml.Parse(Yaml("kind: csv", $"path: {_csv}"));

        Assert.Equal((BadImagePolicy.Fail, null, null), (spec.Dataset.OnBadImage, spec.Dataset.Predict, spec.Dataset.Labels));
    }

    [Fact]
    public void Misspelt_kind_and_key_get_suggestions_at_their_position()
    {
        var e = Fixtures.Yaml.Fails(Yaml("kind: filename_pattern", $"path: {_dir}", "label: { a: x }"));

        Assert.Contains(e.Errors, x => (x.Line, x.Column) == (3, 9)
            && x.Message.Contains("'filename_pattern' is not one of folder, filename-pattern, csv, idx")
            && x.Message.Contains("did you mean 'filename-pattern'?"));
        Assert.Contains(e.Errors, x => (x.Line, x.Column) == (5, 3) && x.Message.Contains("unknown key 'label' in 'dataset'")
            && x.Message.Contains("did you mean 'labels'?"));
    }

    [Fact]
    public void Regex_that_does_not_compile_is_reported_at_the_pattern()
    {
        var e = Fixtures.Yaml.Fails(Yaml("kind: filename-pattern", $"path: {_dir}", "labels:", "  dog: '^dog('", "  cat: ^cat"));

        var error = Assert.Single(e.Errors);
        Assert.Equal((6, 10), (error.Line, error.Column));
        Assert.StartsWith("dataset.labels.dog: '^dog(' is not a usable regular expression", error.Message);
    }

    [Fact]
    public void Filename_pattern_needs_labels_and_other_kinds_refuse_them()
    {
        var missing = Assert.Single(Fixtures.Yaml.Fails(Yaml("kind: filename-pattern", $"path: {_dir}")).Errors);
        Assert.Contains("missing required key 'dataset.labels'", missing.Message);

        var refused = Assert.Single(Fixtures.Yaml.Fails(Yaml("kind: folder", $"path: {_dir}", "labels: { a: x }")).Errors);
        Assert.Equal((5, 3), (refused.Line, refused.Column));
        Assert.Contains("only filename-pattern datasets take label patterns", refused.Message);

        var duplicate = Assert.Single(Fixtures.Yaml.Fails(Yaml("kind: filename-pattern", $"path: {_dir}", "labels: { a: x, a: y }")).Errors);
        Assert.Equal(5, duplicate.Line);
        Assert.Contains("Duplicate key a", duplicate.Message); // YamlDotNet's own check

        var unknownClass = Assert.Single(
            Fixtures.Yaml.Fails(Yaml("kind: filename-pattern", $"path: {_dir}", "labels: { dog: d, cat: c }", "classes: [dogs]")).Errors);
        Assert.Contains("'dogs' has no pattern in dataset.labels (did you mean 'dog'?)", unknownClass.Message);
    }

    [Fact]
    public void Csv_path_must_be_a_file_and_predict_an_existing_folder()
    {
        var dir = Assert.Single(Fixtures.Yaml.Fails(Yaml("kind: csv", $"path: {_dir}")).Errors);
        Assert.Equal((4, 9), (dir.Line, dir.Column));
        Assert.Contains("is a directory; a csv dataset's path is the CSV file", dir.Message);

        var missing = Assert.Single(Fixtures.Yaml.Fails(Yaml("kind: csv", $"path: {_temp.Path}/nope.csv")).Errors);
        Assert.Contains("CSV file", missing.Message);
        Assert.Contains("does not exist", missing.Message);

        var predict = Assert.Single(Fixtures.Yaml.Fails(Yaml("kind: csv", $"path: {_csv}", $"predict: {_temp.Path}/test9")).Errors);
        Assert.Equal((5, 12), (predict.Line, predict.Column));
        Assert.Contains("dataset.predict: directory", predict.Message);
    }

    [Fact]
    public void On_bad_image_accepts_fail_or_skip_with_a_suggestion()
    {
        var error = Assert.Single(Fixtures.Yaml.Fails(Yaml("kind: folder", $"path: {_dir}", "on_bad_image: skp")).Errors);
        Assert.Equal((5, 17), (error.Line, error.Column));
        Assert.Contains("'skp' is not one of fail, skip (did you mean 'skip'?)", error.Message);
    }

    [Fact]
    public void Class_names_are_for_idx_only()
    {
        var error = Assert.Single(Fixtures.Yaml.Fails(Yaml("kind: csv", $"path: {_csv}", "class_names: [a, b]")).Errors);
        Assert.Contains("only idx datasets have numeric labels to name", error.Message);
    }
}
