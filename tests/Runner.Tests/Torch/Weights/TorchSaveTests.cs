using System.IO.Compression;
using Runner.Tests.Fixtures;
using Runner.Torch.Weights;
using static Runner.Tests.Fixtures.WeightsTestSupport;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Weights;

/// <summary>
/// torch.save's two formats, read without Python: a checkpoint written by Debian's PyTorch 1.13 in the legacy (pre-1.6)
/// format must give exactly what it gives in the zip format, views and shared storages included; truncated or damaged
/// files, whole models and pickles that call anything else get one plain message.
/// </summary>
public sealed class TorchSaveTests(TorchSaveTests.Files files) : WeightsTestBase, IClassFixture<TorchSaveTests.Files>
{
    /// <summary>A checkpoint exercising every dtype, shared and non-contiguous storages, 0-d and empty tensors, and non-tensor entries.</summary>
    private const string Script = """
        import collections, sys, torch
        out = sys.argv[1]
        g = torch.Generator().manual_seed(3)
        base = torch.randn(6, 5, generator=g)
        sd = collections.OrderedDict()
        sd['conv.weight'] = torch.randn(4, 3, 3, 3, generator=g)
        sd['half'] = torch.randn(7, generator=g).half()
        sd['bf16'] = torch.randn(3, generator=g).bfloat16()
        sd['double'] = torch.randn(2, 2, generator=g).double()
        sd['long'] = torch.arange(-2, 3)
        sd['int8'] = torch.tensor([-3, 4], dtype=torch.int8)
        sd['flag'] = torch.tensor([True, False, True])
        sd['scalar'] = torch.tensor(42)
        sd['empty'] = torch.zeros(0, 3)
        sd['transposed'] = base.t()
        sd['row'] = base[2]
        extra = {'epoch': 3, 'lr': 0.1, 'name': 'run', 'ids': [1, 2], 'none': None, 'big': 2 ** 70}
        torch.save({'state_dict': sd, **extra}, out + '/legacy.pth', _use_new_zipfile_serialization=False)
        torch.save({'state_dict': sd, **extra}, out + '/zip.pth')
        plain = collections.OrderedDict((k, v.contiguous().clone()) for k, v in sd.items())
        torch.save({'state_dict': plain, **extra}, out + '/plain.pth')
        torch.save(torch.nn.Linear(2, 2), out + '/model.pth', _use_new_zipfile_serialization=False)
        torch.save(torch.nn.Linear(2, 2), out + '/model-zip.pth')
        """;

    /// <summary>The files <see cref="Script"/> writes, made once for the class.</summary>
    public sealed class Files : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("runner-torchsave-").FullName;

        public Files() => ReferenceFixtures.RunPython("-c", Script, _directory);

        public string this[string name] => Path.Combine(_directory, name);

        public void Dispose() => Directory.Delete(_directory, recursive: true);
    }

    private readonly PyTorchWeightsFormat _format = new();

    /// <summary>Every tensor of the file's state_dict, unchecked against any architecture: the reader alone.</summary>
    private static Dictionary<string, Tensor> ReadAll(string path) =>
        PyTorchWeightsFormat.Read(path, root => StateDicts.Normalize<TorchSave.PendingTensor>(root, path));

    [Fact]
    public void A_legacy_checkpoint_reads_exactly_like_its_zip_twin_views_and_shared_storages_included()
    {
        Assert.True(_format.Accepts(files["legacy.pth"]));
        Assert.True(_format.Accepts(files["zip.pth"]));
        var legacy = ReadAll(files["legacy.pth"]);
        var zip = ReadAll(files["zip.pth"]);
        var plain = ReadAll(files["plain.pth"]);
        try
        {
            Assert.Equal(plain.Keys.Order(), legacy.Keys.Order());
            Assert.Equal(plain.Keys.Order(), zip.Keys.Order());
            foreach (var (key, tensor) in plain)
            {
                Assert.True(Equal(tensor, legacy[key]), $"{key}: {tensor.dtype} [{string.Join(",", tensor.shape)}] vs legacy {legacy[key].dtype} [{string.Join(",", legacy[key].shape)}]");
                Assert.True(Equal(tensor, zip[key]), $"{key}: {tensor.dtype} [{string.Join(",", tensor.shape)}] vs zip {zip[key].dtype} [{string.Join(",", zip[key].shape)}]");
            }
            Assert.Equal(42, legacy["scalar"].item<long>());
            Assert.Equal([5L, 6L], legacy["transposed"].shape);
        }
        finally
        {
            StateDicts.Dispose(legacy.Values);
            StateDicts.Dispose(zip.Values);
            StateDicts.Dispose(plain.Values);
        }
    }

    [Fact]
    public void A_truncated_file_says_so()
    {
        var bytes = File.ReadAllBytes(files["legacy.pth"]);
        foreach (var cut in new[] { 40, 300, bytes.Length - 10 })
        {
            var path = PathIn($"cut{cut}.pth");
            File.WriteAllBytes(path, bytes[..cut]);
            var e = Assert.Throws<WeightsFormatException>(() => ReadAll(path));
            Assert.StartsWith($"{path} is truncated: it ends at byte {cut:N0}", e.Message);
        }
    }

    [Theory]
    [InlineData("model.pth")]
    [InlineData("model-zip.pth")]
    public void A_pickled_whole_model_is_refused_with_the_fix(string name)
    {
        var e = Assert.Throws<WeightsFormatException>(() => Store.Import(files[name], Tiny()));
        Assert.Contains("'torch.nn.modules.linear.Linear'", e.Message);
        Assert.Contains("torch.save(model.state_dict(), 'weights.pth')", e.Message);
        Assert.Empty(Store.List());
    }

    /// <summary>A copy of the zip twin with <paramref name="change"/> applied to its archive.</summary>
    private string ZipCopy(string name, Action<ZipArchive, string> change)
    {
        var path = PathIn(name);
        File.Copy(files["zip.pth"], path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var prefix = zip.Entries.Single(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)).FullName[..^"data.pkl".Length];
        change(zip, prefix);
        return path;
    }

    [Fact]
    public void A_zip_missing_a_storage_or_written_big_endian_is_refused()
    {
        var missing = ZipCopy("missing.pth", (zip, prefix) => zip.GetEntry(prefix + "data/0")!.Delete());
        var e = Assert.Throws<WeightsFormatException>(() => ReadAll(missing));
        Assert.Equal($"{missing}: storage '0' is missing from the archive (no data/0 inside)", e.Message);

        var shortened = ZipCopy("short.pth", (zip, prefix) =>
        {
            zip.GetEntry(prefix + "data/0")!.Delete();
            using var stream = zip.CreateEntry(prefix + "data/0").Open();
            stream.Write(new byte[4]);
        });
        e = Assert.Throws<WeightsFormatException>(() => ReadAll(shortened));
        Assert.StartsWith($"{shortened}: storage '0' holds 4 bytes, but its tensors' storage has", e.Message);

        var bigEndian = ZipCopy("big.pth", (zip, prefix) =>
        {
            using var writer = new StreamWriter(zip.CreateEntry(prefix + "byteorder").Open());
            writer.Write("big");
        });
        e = Assert.Throws<WeightsFormatException>(() => ReadAll(bigEndian));
        Assert.Equal($"{bigEndian}: written on a big-endian machine, which runner cannot read", e.Message);
    }

    /// <summary>The three pickles before the saved object: the magic number, protocol version 1001 and an empty sys_info.</summary>
    private static readonly byte[] Header =
    [
        0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, (byte)'.',
        0x80, 0x02, (byte)'M', 0xE9, 0x03, (byte)'.',
        0x80, 0x02, (byte)'}', (byte)'.',
    ];

    private string Crafted(string name, string pickles)
    {
        var path = PathIn(name);
        File.WriteAllBytes(path, [.. Header, .. System.Text.Encoding.Latin1.GetBytes(pickles)]);
        return path;
    }

    [Fact]
    public void A_pickle_that_would_run_code_is_refused_before_anything_is_called()
    {
        // posix.system("touch"): GLOBAL, BINUNICODE, TUPLE1, REDUCE.
        var path = Crafted("evil.pth", "\u0080\u0002cposix\nsystem\nX\u0005\0\0\0touch\u0085R.");

        var e = Assert.Throws<WeightsFormatException>(() => Store.Import(path, Tiny()));

        Assert.StartsWith($"{path}: not a plain state_dict: it asks for the Python object 'posix.system', which runner does not load", e.Message);
        Assert.DoesNotContain("Exception", e.Message);
        Assert.Empty(Store.List());
    }

    [Fact]
    public void A_dictionary_that_contains_itself_is_refused()
    {
        // d = {}; d['a'] = d (EMPTY_DICT, BINPUT 0, MARK, 'a', BINGET 0, SETITEMS), then an empty storage list.
        var path = Crafted("cycle.pth", "\u0080\u0002}q\0(X\u0001\0\0\0ah\0u.\u0080\u0002].");

        var e = Assert.Throws<WeightsFormatException>(() => ReadAll(path));

        Assert.Equal($"{path}: the pickle is malformed (a container contains itself)", e.Message);
    }
}
