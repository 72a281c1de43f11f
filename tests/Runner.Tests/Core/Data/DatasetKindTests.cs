using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Data;

/// <summary>Each dataset kind lists the right items and labels; the predict folder becomes its own list.</summary>
public sealed class DatasetKindTests : IDisposable
{
    private readonly ImageFolder _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Filename_pattern_labels_by_regex_on_file_names_recursively_in_the_mappings_order()
    {
        _files.Text("train/dog.1.jpg", "x");
        _files.Text("train/cat.1.jpg", "x");
        _files.Text("train/sub/dog.2.png", "x");
        _files.Text("train/cat.2.JPG", "x");
        _files.Text("train/notes.txt", "not an image, ignored");
        _files.Text("train/.hidden/cat.9.jpg", "hidden, ignored");
        var spec = DataSpecs.Pattern(_files.PathOf("train"), ("dog", @"^dog\."), ("cat", @"^cat\."));

        var listing = DatasetScanner.List(spec);

        Assert.Equal(["dog", "cat"], listing.Classes); // as written, not sorted
        Assert.Equal([("cat.1.jpg", 1), ("cat.2.JPG", 1), ("dog.1.jpg", 0), ("sub/dog.2.png", 0)],
            listing.Items.Select(i => (i.Id, i.Label)));
        Assert.All(listing.Items, i => Assert.Equal(i.Id, i.File));
        Assert.Empty(listing.Problems);
        Assert.Equal(Path.GetFullPath(_files.PathOf("train")), listing.Root);
    }

    [Fact]
    public void Filename_pattern_files_matching_no_pattern_or_two_are_problems_naming_the_file()
    {
        _files.Text("train/dog.1.jpg", "x");
        _files.Text("train/cat.1.jpg", "x");
        _files.Text("train/bird.1.jpg", "x");
        _files.Text("train/catdog.1.jpg", "x");
        var dir = _files.PathOf("train");
        var spec = DataSpecs.Pattern(dir, ("dog", "dog"), ("cat", "^cat"));

        var listing = DatasetScanner.List(spec);

        Assert.Equal(["cat.1.jpg", "dog.1.jpg"], listing.Items.Select(i => i.Id.ToString()));
        Assert.Collection(listing.Problems,
            p =>
            {
                Assert.Equal($"{dir}/bird.1.jpg", p.File);
                Assert.Contains("matches no label pattern", p.Problem);
            },
            p =>
            {
                Assert.Equal($"{dir}/catdog.1.jpg", p.File);
                Assert.Contains("matches the patterns of 'dog' and 'cat'", p.Problem);
            });
    }

    [Fact]
    public void Filename_pattern_classes_can_select_a_subset_in_a_given_order()
    {
        _files.Text("train/dog.1.jpg", "x");
        _files.Text("train/cat.1.jpg", "x");
        _files.Text("train/fox.1.jpg", "x");
        var spec = DataSpecs.Pattern(_files.PathOf("train"), ("dog", "^dog"), ("cat", "^cat"), ("fox", "^fox")) with { Classes = ["fox", "dog"] };

        var listing = DatasetScanner.List(spec);

        Assert.Equal(["fox", "dog"], listing.Classes);
        Assert.Equal([("dog.1.jpg", 1), ("fox.1.jpg", 0)], listing.Items.Select(i => (i.Id, i.Label)));
        Assert.Empty(listing.Problems); // cat.1.jpg matched a pattern; its class is just not wanted
    }

    [Fact]
    public void Csv_lists_rows_relative_to_the_csv_folder_with_sorted_labels_as_classes()
    {
        _files.Text("data/img/a.png", "x");
        _files.Text("data/img/b.png", "x");
        _files.Text("data/other/c, d.png", "x");
        var csv = _files.Text("data/labels.csv",
            "id,path,label,notes\n1,img/b.png,zebra,x\n\n2,\"other/c, d.png\",ant,\"says \"\"hi\"\"\"\r\n3,img/a.png,zebra,\n");

        var listing = DatasetScanner.List(DataSpecs.Csv(csv));

        Assert.Equal(["ant", "zebra"], listing.Classes);
        Assert.Equal([("img/a.png", 1), ("img/b.png", 1), ("other/c, d.png", 0)], listing.Items.Select(i => (i.Id, i.Label)));
        Assert.Equal(Path.GetFullPath(_files.PathOf("data")), listing.Root);
        Assert.Empty(listing.Problems);

        var chosen = DatasetScanner.List(DataSpecs.Csv(csv, classes: ["zebra", "ant"]));
        Assert.Equal(["zebra", "ant"], chosen.Classes);
        Assert.Equal([("img/a.png", 0), ("img/b.png", 0), ("other/c, d.png", 1)], chosen.Items.Select(i => (i.Id, i.Label)));
    }

    [Fact]
    public void Csv_missing_image_is_a_problem_naming_the_csv_file_and_line()
    {
        _files.Text("data/a.png", "x");
        var csv = _files.Text("data/labels.csv", "path,label\na.png,x\ngone.png,y\n");

        var listing = DatasetScanner.List(DataSpecs.Csv(csv));

        var problem = Assert.Single(listing.Problems);
        Assert.Equal($"{_files.PathOf("data")}/gone.png", problem.File);
        Assert.Equal($"file not found (listed on {csv}:3)", problem.Problem);
    }

    [Fact]
    public void Folder_kind_is_unchanged()
    {
        _files.Text("pets/dog/x.png", "x");
        _files.Text("pets/cat/a.png", "x");

        var listing = DatasetScanner.List(DataSpecs.Folder(_files.PathOf("pets")));

        Assert.Equal(["cat", "dog"], listing.Classes);
        Assert.Equal([("cat/a.png", 0), ("dog/x.png", 1)], listing.Items.Select(i => (i.Id, i.Label)));
    }

    [Fact]
    public void Predict_folder_is_listed_as_a_separate_naturally_sorted_list_with_ids_from_file_names()
    {
        _files.Images("pets/dog", "d", 4);
        _files.Images("pets/cat", "c", 4);
        foreach (var n in new[] { 10, 2, 1 }) _files.Image($"test1/{n}.jpg");
        var spec = DataSpecs.Folder(_files.PathOf("pets"), predict: _files.PathOf("test1"));

        var manifest = DataSpecs.Build(spec);

        Assert.Equal(8, manifest.Items.Count);
        Assert.DoesNotContain(manifest.Items, i => i.Split == Splits.Predict);
        Assert.Equal(["1", "2", "10"], manifest.Predict!.Select(i => i.Id.ToString()));
        Assert.Equal(["1.jpg", "2.jpg", "10.jpg"], manifest.Predict!.Select(i => i.File));
        Assert.All(manifest.Predict!, i => Assert.Equal((-1, Splits.Predict), (i.Label, i.Split)));
        Assert.Equal(Path.GetFullPath(_files.PathOf("test1")), manifest.PredictRoot);
        Assert.Equal(8, manifest.Counts.Values.Sum(c => c.Values.Sum()));

        Assert.Null(DataSpecs.Build(DataSpecs.Folder(_files.PathOf("pets"))).Predict);
    }

    [Fact]
    public void Natural_order_compares_digit_runs_by_value()
    {
        string[] ids = ["img10", "img2", "b", "10", "9", "a1", "02", "2"];
        Assert.Equal(["2", "02", "9", "10", "a1", "b", "img2", "img10"], ids.Order(NaturalComparer.Instance));
    }

    [Fact]
    public void Every_kind_builds_a_manifest_from_real_images_with_class_counts_per_split()
    {
        for (var i = 0; i < 8; i++)
        {
            _files.Image($"kaggle/dog.{i}.jpg", seed: i);
            _files.Image($"kaggle/cat.{i}.jpg", seed: i + 8);
        }
        var manifest = DataSpecs.Build(DataSpecs.Pattern(_files.PathOf("kaggle"), ("dog", @"^dog\."), ("cat", @"^cat\.")));

        Assert.Equal(["dog", "cat"], manifest.Classes);
        Assert.Equal(DatasetKinds.FilenamePattern, manifest.Kind);
        Assert.Equal(16, manifest.Items.Count);
        foreach (var split in Splits.All)
            Assert.All(manifest.Classes, c => Assert.True(manifest.Counts[split][c] > 0, $"{split} has no {c}"));
        Assert.Equal(2, manifest.Counts[Splits.Test]["dog"]); // 8 × 0.25
        Assert.Empty(manifest.Skipped!);
    }
}
