using System.Text.Json.Nodes;
using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Core.Planning;
using Runner.Tests.Core;

namespace Runner.Tests.Data;

/// <summary>The data key: size+mtime by default, SHA-256 of contents with --hash-content; new dataset keys are part of it.</summary>
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
    public void Hash_content_changes_the_digest_when_content_changes_with_the_same_size_and_mtime()
    {
        var dir = Pets();
        var file = Path.Combine(dir, "cat", "a.png");
        var metadata = DataSpecs.Folder(dir);
        var content = metadata with { HashContent = true };
        var before = (Meta: DatasetScanner.Fingerprint(metadata), Content: DatasetScanner.Fingerprint(content));
        Assert.NotEqual(before.Meta.Digest, before.Content.Digest);
        Assert.Equal(before.Content, DatasetScanner.Fingerprint(content));

        var mtime = File.GetLastWriteTimeUtc(file);
        File.WriteAllText(file, "AAAA"); // same size
        File.SetLastWriteTimeUtc(file, mtime); // same mtime

        Assert.Equal(before.Meta, DatasetScanner.Fingerprint(metadata)); // size+mtime cannot see it
        Assert.NotEqual(before.Content.Digest, DatasetScanner.Fingerprint(content).Digest);
    }

    [Fact]
    public void Hash_content_is_stable_when_only_mtime_changes()
    {
        var dir = Pets();
        var file = Path.Combine(dir, "dog", "b.png");
        var content = DataSpecs.Folder(dir) with { HashContent = true };
        var before = DatasetScanner.Fingerprint(content);
        var metadata = DatasetScanner.Fingerprint(DataSpecs.Folder(dir));

        File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddHours(1));

        Assert.Equal(before, DatasetScanner.Fingerprint(content));
        Assert.NotEqual(metadata, DatasetScanner.Fingerprint(DataSpecs.Folder(dir)));
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
        Planner.Plan(spec, Yaml.Inputs()).Tasks.Single(t => t.Kind == TaskKinds.Data).Params.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Data_key_params_say_how_files_were_fingerprinted_and_include_the_new_dataset_keys()
    {
        var dir = _files.PathOf("k");
        Directory.CreateDirectory(dir);
        Directory.CreateDirectory(_files.PathOf("test1"));
        var spec = Yaml.Parse(Yaml.Lines("name: exp", "dataset:", "  kind: filename-pattern", $"  path: {dir}",
            "  labels: { dog: ^dog, cat: ^cat }", $"  predict: {_files.PathOf("test1")}", "  on_bad_image: skip", "backbones: [resnet18]"));

        var p = DataParams(spec);

        Assert.Equal("size+mtime", p["files"]!["fingerprint"]!.GetValue<string>());
        Assert.Equal("sha256", DataParams(spec with { Dataset = spec.Dataset with { HashContent = true } })["files"]!["fingerprint"]!.GetValue<string>());
        Assert.Equal("""[{"class":"dog","pattern":"^dog"},{"class":"cat","pattern":"^cat"}]""", CanonicalJson.Serialize(p["labels"]));
        Assert.Equal(_files.PathOf("test1"), p["predict"]!.GetValue<string>());
        Assert.Equal("skip", p["on_bad_image"]!.GetValue<string>());

        string Key(DatasetSpec d) => Planner.Plan(spec with { Dataset = d }, Yaml.Inputs()).Tasks.Single(t => t.Kind == TaskKinds.Data).Key;
        var keys = new[]
        {
            Key(spec.Dataset),
            Key(spec.Dataset with { HashContent = true }),
            Key(spec.Dataset with { Predict = null }),
            Key(spec.Dataset with { OnBadImage = BadImagePolicy.Fail }),
            Key(spec.Dataset with { Labels = [.. spec.Dataset.Labels!.Reverse()] }), // class order is part of the key
        };
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.Equal(keys[0], Key(spec.Dataset));
    }

    [Fact]
    public void Plan_explains_switching_to_hash_content()
    {
        using var temp = new TempDir();
        var cache = new CacheStore(Path.Combine(temp.Path, "cache"));
        var rig = new FakeRig(cache);
        var spec = Yaml.Parse(Yaml.Basic(temp.Sub("dataset")));
        Assert.True(rig.Run(Planner.Plan(spec, Yaml.Inputs()), spec).Succeeded);

        var hashed = spec with { Dataset = spec.Dataset with { HashContent = true } };
        var contentInputs = new PlanInputs("content-digest", 42, new JsonObject { ["device"] = "cpu", ["threads"] = 4 }, "template-digest");
        var status = Staleness.Explain(Planner.Plan(hashed, contentInputs), cache).Single(s => s.Task.Id == "data");

        Assert.Equal(TaskState.Stale, status.State);
        var reason = Assert.Single(status.Reasons);
        Assert.Contains("files.digest dataset-digest → content-digest", reason);
        Assert.Contains("files.fingerprint size+mtime → sha256", reason);
    }
}
