using System.Text.Json.Nodes;
using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Core.Util;
using Runner.Tests.Fixtures;
using Runner.Cli;

namespace Runner.Tests.Core.Data;

/// <summary>The data key: names and contents of the dataset's files, read once and then remembered per file; new dataset keys are part of it.</summary>
public sealed class FingerprintTests : IDisposable
{
    private readonly ImageFolder _files = new();

    public void Dispose() => _files.Dispose();

    private string Pets()
    {
        _files.Text("pets/cat/a.png", "aaaa");
        _files.Text("pets/dog/b.png", "bbbb");
        return _files.PathOf("pets");
    }

    [Fact]
    public void Touching_keeps_the_digest_and_new_bytes_change_it_even_with_the_same_size_and_mtime()
    {
        var dir = Pets();
        var file = Path.Combine(dir, "cat", "a.png");
        var spec = DataSpecs.Folder(dir);
        var before = DatasetScanner.Fingerprint(spec);

        foreach (var f in Directory.GetFiles(dir, "*", SearchOption.AllDirectories)) File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddHours(1));
        Assert.Equal(before, DatasetScanner.Fingerprint(spec));

        var mtime = File.GetLastWriteTimeUtc(file);
        File.WriteAllText(file, "AAAA"); // same size
        File.SetLastWriteTimeUtc(file, mtime); // same mtime
        Assert.NotEqual(before.Digest, DatasetScanner.Fingerprint(spec).Digest);

        File.WriteAllText(file, "aaaa");
        Assert.Equal(before, DatasetScanner.Fingerprint(spec));
    }

    [Fact]
    public void The_same_files_in_another_folder_have_the_same_digest()
    {
        var dir = Pets();
        var copy = _files.PathOf("copy");
        TinyExperiment.CopyDirectory(dir, copy);
        Assert.Equal(DatasetScanner.Fingerprint(DataSpecs.Folder(dir)), DatasetScanner.Fingerprint(DataSpecs.Folder(copy)));

        File.Move(Path.Combine(copy, "dog", "b.png"), Path.Combine(copy, "dog", "c.png")); // a name is part of the key
        Assert.NotEqual(DatasetScanner.Fingerprint(DataSpecs.Folder(dir)), DatasetScanner.Fingerprint(DataSpecs.Folder(copy)));
    }

    [Fact]
    public void Unchanged_files_are_taken_from_the_memo_and_changed_ones_are_read_again()
    {
        var dir = Pets();
        var spec = DataSpecs.Folder(dir);
        var real = DatasetScanner.Fingerprint(spec);
        var memo = Directory.GetFiles(RunnerHome.Memo, "*.tsv")
            .Single(f => File.ReadLines(f).First().EndsWith("\t" + Path.Combine(dir, "cat"), StringComparison.Ordinal));
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("aaaa"u8));
        File.WriteAllText(memo, File.ReadAllText(memo).Replace(sha, new string('0', 64)));

        Assert.NotEqual(real, DatasetScanner.Fingerprint(spec)); // the memo was trusted: the file was not read

        File.SetLastWriteTimeUtc(Path.Combine(dir, "cat", "a.png"), DateTime.UtcNow.AddMinutes(5));
        Assert.Equal(real, DatasetScanner.Fingerprint(spec)); // a new mtime makes it read the file again
    }

    [Fact]
    public void Fingerprint_covers_csv_manifest_listed_files_and_predict_folder()
    {
        _files.Text("d/a.png", "a");
        var csv = _files.Text("d/labels.csv", "path,label\na.png,x\nmissing.png,y\n");
        _files.Text("test1/1.png", "1");
        var spec = DataSpecs.Csv(csv) with { Predict = _files.PathOf("test1") };
        var first = DatasetScanner.Fingerprint(spec); // a missing file is fingerprinted as such, not an error
        Assert.Equal(4, first.Files);

        _files.Text("test1/2.png", "22");
        var withPredict = DatasetScanner.Fingerprint(spec);
        Assert.Equal(5, withPredict.Files);
        Assert.NotEqual(first.Digest, withPredict.Digest);

        _files.Text("d/missing.png", "now here");
        Assert.NotEqual(withPredict.Digest, DatasetScanner.Fingerprint(spec).Digest);

        File.AppendAllText(csv, "\n");
        Assert.NotEqual(withPredict.Digest, DatasetScanner.Fingerprint(spec).Digest);
    }

    [Fact]
    public void Filename_pattern_fingerprint_includes_files_that_match_no_pattern()
    {
        _files.Text("k/dog.1.png", "d");
        var spec = DataSpecs.Pattern(_files.PathOf("k"), ("dog", "^dog"), ("cat", "^cat"));
        var first = DatasetScanner.Fingerprint(spec);
        _files.Text("k/horse.1.png", "h");
        Assert.NotEqual(first, DatasetScanner.Fingerprint(spec));
    }

    private static Dictionary<string, JsonNode?> DataParams(ExperimentSpec spec) =>
        Yaml.Plan(spec).Tasks.Single(t => t.Kind == DataKind.Name).Params.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Data_key_covers_the_dataset_settings_but_not_where_the_files_are()
    {
        var dir = _files.PathOf("k");
        Directory.CreateDirectory(dir);
        Directory.CreateDirectory(_files.PathOf("test1"));
        var spec = Yaml.Parse(Yaml.Lines("name: exp", "dataset:", "  kind: filename-pattern", $"  path: {dir}",
            "  labels: { dog: ^dog, cat: ^cat }", $"  predict: {_files.PathOf("test1")}", "  on_bad_image: skip", "backbones: [resnet18]"));

        var p = DataParams(spec);

        Assert.Equal("sha256", p["files"]!["fingerprint"]!.GetValue<string>());
        var dataset = p["dataset"]!;
        Assert.Equal("""[{"class":"dog","pattern":"^dog"},{"class":"cat","pattern":"^cat"}]""", CanonicalJson.Serialize(dataset["labels"]));
        Assert.True(dataset["has_predict"]!.GetValue<bool>());
        Assert.Equal("skip", dataset["on_bad_image"]!.GetValue<string>());

        string Key(DatasetSpec d) => Yaml.Plan(spec with { Dataset = d }).Tasks.Single(t => t.Kind == DataKind.Name).Key;
        var keys = new[]
        {
            Key(spec.Dataset),
            Key(spec.Dataset with { Predict = null }),
            Key(spec.Dataset with { OnBadImage = BadImagePolicy.Fail }),
            Key(spec.Dataset with { Labels = [.. spec.Dataset.Labels!.Reverse()] }), // class order is part of the key
        };
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.Equal(keys[0], Key(spec.Dataset with { Path = "/elsewhere/k", Predict = "/elsewhere/test1" }));
    }
}
