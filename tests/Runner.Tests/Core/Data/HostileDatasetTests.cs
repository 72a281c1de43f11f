using System.Diagnostics;
using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Data;

/// <summary>Datasets that loop, escape their folder, hang the labeller or carry secrets: refused with the path, never followed or echoed.</summary>
public sealed class HostileDatasetTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly SplitSpec AnySplit = new(0.1, 0.1, true, 42);

    private string Folder()
    {
        foreach (var c in new[] { "shirt", "tshirt_top" })
            for (var i = 0; i < 4; i++) _temp.File($"data/{c}/{c}_{i}.png");
        return Path.Combine(_temp.Path, "data");
    }

    [Fact]
    public void A_symlink_loop_in_a_class_folder_is_refused_with_the_link_instead_of_multiplying_the_images()
    {
        var root = Folder();
        Directory.CreateSymbolicLink(Path.Combine(root, "shirt", "loop"), "..");
        var spec = new DatasetSpec(DatasetKinds.Folder, root, null, null, AnySplit);

        var e = Assert.Throws<InvalidDataException>(() => DatasetScanner.List(spec));
        Assert.Contains(Path.Combine(root, "shirt", "loop"), e.Message);
        Assert.Contains("loop", Assert.Throws<InvalidDataException>(() => DatasetScanner.Fingerprint(spec)).Message);
    }

    [Fact]
    public void A_folder_or_image_reachable_twice_is_refused_and_links_to_outside_images_are_followed()
    {
        var root = Folder();
        var outside = _temp.File("elsewhere/extra.png");
        File.CreateSymbolicLink(Path.Combine(root, "shirt", "linked.png"), outside);
        var spec = new DatasetSpec(DatasetKinds.Folder, root, null, null, AnySplit);
        Assert.Equal(9, DatasetScanner.List(spec).Items.Count);

        Directory.CreateSymbolicLink(Path.Combine(root, "shirt", "again"), Path.Combine(root, "tshirt_top"));
        Assert.Contains("the same folder as", Assert.Throws<InvalidDataException>(() => DatasetScanner.List(spec)).Message);
        Directory.Delete(Path.Combine(root, "shirt", "again"));

        File.CreateSymbolicLink(Path.Combine(root, "tshirt_top", "twice.png"), outside);
        Assert.Contains("the same file as", Assert.Throws<InvalidDataException>(() => DatasetScanner.List(spec)).Message);
    }

    [Fact]
    public void Csv_rows_outside_the_csv_folder_are_refused_with_their_line_unless_allowed()
    {
        var secret = _temp.File("secret/shadow.png", "root:$6$salt$hash:19000:0:99999:7:::");
        var csv = _temp.File("set/labels.csv", $"path,label\na.png,x\n../secret/shadow.png,y\n{secret},y\n");
        _temp.File("set/a.png");
        var spec = new DatasetSpec(DatasetKinds.Csv, csv, null, null, AnySplit);

        var e = Assert.Throws<InvalidDataException>(() => DatasetScanner.Fingerprint(spec));
        Assert.Contains($"{csv}:3: '../secret/shadow.png' lies outside", e.Message);
        Assert.Contains($"{csv}:4: '{secret}' lies outside", e.Message);
        Assert.Contains("allow_outside_paths", e.Message);
        Assert.Throws<InvalidDataException>(() => DatasetScanner.List(spec));

        Assert.Equal(3, DatasetScanner.List(spec with { AllowOutsidePaths = true }).Items.Count);
    }

    [Fact]
    public void Messages_about_unreadable_files_never_echo_their_content()
    {
        var secret = _temp.File("shadow.png", "root:$6$salt$hash:19000:0:99999:7:::");
        var problem = new ImageContainer().Problem(secret)!;
        Assert.StartsWith("not an image", problem);
        Assert.DoesNotContain("root", problem);

        // A secret given as the CSV manifest itself: its first line is not echoed as "columns".
        var header = Assert.Throws<InvalidDataException>(() => CsvManifest.Read(secret)).Message;
        Assert.DoesNotContain("salt", header);
        Assert.Contains("does not look like a CSV header", header);
    }

    [Fact]
    public void A_catastrophically_backtracking_label_pattern_finishes_in_linear_time()
    {
        var dir = _temp.Sub("named");
        _temp.File($"named/shirt_{new string('a', 240)}!.png"); // 2^240 ways to split the a's for a backtracking engine
        _temp.File("named/shirt_aaa.png");
        var spec = new DatasetSpec(DatasetKinds.FilenamePattern, dir, null, null, AnySplit)
        {
            Labels = [new LabelPattern("shirt", @"^shirt_(a+)+\.png$"), new LabelPattern("other", "^other")],
        };

        var clock = Stopwatch.StartNew();
        var listing = DatasetScanner.List(spec);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Single(listing.Items);
        Assert.Single(listing.Problems);
    }

    [Fact]
    public void A_pattern_the_non_backtracking_engine_cannot_run_is_refused_at_validation_saying_why()
    {
        var e = Yaml.Fails(Yaml.Lines("name: x", "dataset:", "  kind: filename-pattern", $"  path: {_temp.Path}", "  labels:",
            @"    dog: '^(dog)\1'", "backbones: [resnet18]"), new FakeArchCatalog());
        var error = Assert.Single(e.Errors);
        Assert.Equal(6, error.Line);
        Assert.Contains("non-backtracking engine", error.Message);
    }

    [Fact]
    public void Gif_and_tiff_files_are_left_out_by_name_not_in_silence()
    {
        foreach (var c in new[] { "a", "b" })
            for (var i = 0; i < 6; i++)
                TestImages.Solid(Path.Combine(_temp.Sub("set", c), $"{i}.png"), 8, 8, OpenCvSharp.Scalar.All(40 * i));
        _temp.File("set/a/old.gif", "GIF89a");
        _temp.File("set/b/scan.TIFF", "II*\0");

        var manifest = new DataExecutor().Build(new DatasetSpec(DatasetKinds.Folder, Path.Combine(_temp.Path, "set"), null, null, new SplitSpec(0.2, 0.2, true, 1)));

        Assert.Equal(12, manifest.Items.Count);
        Assert.Equal(["a/old.gif", "b/scan.TIFF"], manifest.Skipped!.Select(s => Path.GetRelativePath(Path.Combine(_temp.Path, "set"), s.File)));
        Assert.All(manifest.Skipped!, s => Assert.StartsWith("left out: GIF and TIFF are not read", s.Problem));
    }

    [Fact]
    public void Cache_gc_reads_only_the_name_so_an_absent_dataset_does_not_stop_it()
    {
        var file = _temp.File("away.yaml", Yaml.Lines("name: away", "dataset: { kind: folder, path: /nowhere/at/all }", "backbones: [resnet18]"));
        Assert.Equal("away", ExperimentLoader.NameOf(file));
        Assert.Equal("nameless", ExperimentLoader.NameOf(_temp.File("nameless.yaml", "dataset: {}\n")));
        Assert.Contains("must start with a letter or digit", Assert.Throws<ConfigException>(() => ExperimentLoader.NameOf(_temp.File("bad.yaml", "name: ..\n"))).Message);
    }

    [Fact]
    public void A_file_given_as_a_folder_dataset_is_named_as_a_file()
    {
        var file = _temp.File("labels.csv", "path,label\n");
        var error = Assert.Single(Yaml.Fails(Yaml.Basic(file)).Errors);
        Assert.Contains("is a file; a folder dataset's path is a folder (for a CSV manifest use kind: csv)", error.Message);
    }
}
