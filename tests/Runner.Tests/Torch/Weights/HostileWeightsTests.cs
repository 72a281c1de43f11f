using System.IO.Compression;
using System.Text;
using Runner.Tests.Fixtures;
using Runner.Torch.Weights;
using static Runner.Tests.Fixtures.WeightsTestSupport;

namespace Runner.Tests.Torch.Weights;

/// <summary>
/// Weight files that declare more than they hold or more than the architecture can: each is refused from what it
/// declares, before its tensors are read or built, with a message naming the tensor.
/// </summary>
public sealed class HostileWeightsTests(HostileWeightsTests.Files files) : WeightsTestBase, IClassFixture<HostileWeightsTests.Files>
{
    /// <summary>Tiny's state_dict (conv 3→4, bn 4, fc 4→10) with one tensor made hostile per file.</summary>
    private const string Script = """
        import collections, sys, torch, zipfile
        out = sys.argv[1]
        def tiny():
            g = torch.Generator().manual_seed(1)
            sd = collections.OrderedDict()
            sd['conv.weight'] = torch.randn(4, 3, 3, 3, generator=g)
            sd['conv.bias'] = torch.randn(4, generator=g)
            sd['bn.weight'] = torch.ones(4)
            sd['bn.bias'] = torch.zeros(4)
            sd['bn.running_mean'] = torch.zeros(4)
            sd['bn.running_var'] = torch.ones(4)
            sd['bn.num_batches_tracked'] = torch.tensor(0)
            sd['fc.weight'] = torch.randn(10, 4, generator=g)
            sd['fc.bias'] = torch.randn(10, generator=g)
            return sd
        def deflated(source, target, keep=lambda name: True):
            with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, 'w', zipfile.ZIP_DEFLATED) as dst:
                for info in src.infolist():
                    if keep(info.filename):
                        dst.writestr(info.filename, src.read(info.filename))
        sd = tiny()
        sd['conv.weight'] = torch.zeros(1).as_strided((16384, 16384), (0, 0))  # 1 GiB once expanded, 4 bytes stored
        torch.save(sd, out + '/stride0.pth')
        torch.save(sd, out + '/stride0-legacy.pth', _use_new_zipfile_serialization=False)
        deflated(out + '/stride0.pth', out + '/stride0-no-data.pth', lambda name: '/data/' not in name)
        sd = tiny()
        sd['conv.weight'] = torch.zeros(4 * 2 ** 20)[:108].view(4, 3, 3, 3)  # a 16 MiB storage behind 108 elements
        torch.save(sd, out + '/big-storage.pth')
        deflated(out + '/big-storage.pth', out + '/storage-bomb.pth')
        torch.save(sd, out + '/big-storage-legacy.pth', _use_new_zipfile_serialization=False)
        sd = tiny()
        sd['conv.weight'] = sd['conv.weight'].long()
        torch.save(sd, out + '/int64.pth')
        """;

    /// <summary>The files <see cref="Script"/> writes, made once for the class.</summary>
    public sealed class Files : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("runner-hostile-weights-").FullName;

        public Files() => ReferenceFixtures.RunPython("-c", Script, _directory);

        public string this[string name] => Path.Combine(_directory, name);

        public void Dispose() => Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("stride0.pth")]
    [InlineData("stride0-legacy.pth")]
    public void A_stride_0_tensor_of_a_gigabyte_is_refused_by_its_shape(string name)
    {
        var e = Assert.Throws<WeightsMismatchException>(() => Store.Import(files[name], Tiny()));

        Assert.Contains("conv.weight: file [16384, 16384] vs model [4, 3, 3, 3]", e.Message);
        Assert.Empty(Store.List());
    }

    [Fact]
    public void The_shapes_are_compared_before_any_storage_is_read()
    {
        // The same declaration with every storage removed: refusing it for its shape proves no storage was needed.
        using (var zip = ZipFile.OpenRead(files["stride0-no-data.pth"]))
            Assert.DoesNotContain(zip.Entries, e => e.FullName.Contains("/data/", StringComparison.Ordinal));

        var e = Assert.Throws<WeightsMismatchException>(() => Store.Import(files["stride0-no-data.pth"], Tiny()));

        Assert.Contains("conv.weight: file [16384, 16384] vs model [4, 3, 3, 3]", e.Message);
    }

    [Theory]
    [InlineData("storage-bomb.pth")]
    [InlineData("big-storage-legacy.pth")]
    public void A_tensor_whose_storage_is_far_larger_than_the_tensor_is_refused_before_the_storage_is_read(string name)
    {
        Assert.True(name.Contains("legacy", StringComparison.Ordinal) || new FileInfo(files[name]).Length < 1024 * 1024, "the bomb is small");

        var e = Assert.Throws<WeightsFormatException>(() => Store.Import(files[name], Tiny()));

        Assert.Contains("storages hold 4,194,", e.Message);
        Assert.Empty(Store.List());
    }

    [Fact]
    public void Integer_weights_where_the_architecture_has_floats_are_refused_not_cast()
    {
        var e = Assert.Throws<WeightsFormatException>(() => Store.Import(files["int64.pth"], Tiny()));

        Assert.Equal($"{files["int64.pth"]}: tensor 'conv.weight' is Int64, where tiny has Float32; runner does not convert between integer " +
            "and floating-point weights (was the file saved from another kind of tensor?)", e.Message);
    }

    [Theory]
    [InlineData("[16384, 16384]", "[0, 1073741824]", "data_offsets [0, 1073741824] outside the file's")]
    [InlineData("[-4]", "[0, 16]", "has the shape [-4], with a negative dimension")]
    [InlineData("[4, 3, 3, 3]", "[0, 8]", "of shape [4, 3, 3, 3] and dtype F32 needs 432 bytes, its data_offsets give 8")]
    [InlineData("[4611686018427387904, 4]", "[0, 16]", "needs 73,786,976,294,838,206,464 bytes")]
    public void A_safetensors_header_that_does_not_fit_its_data_is_refused_naming_the_tensor(string shape, string offsets, string expected)
    {
        var path = PathIn("hostile.safetensors");
        WriteSafetensors(path, "{\"conv.weight\": {\"dtype\": \"F32\", \"shape\": " + shape + ", \"data_offsets\": " + offsets + "}}", new byte[16]);

        var e = Assert.Throws<WeightsFormatException>(() => Store.Import(path, Tiny()));

        Assert.Contains($"{path}: tensor 'conv.weight' ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_declared_shape_whose_element_count_overflows_is_refused_by_name()
    {
        var declared = new Dictionary<string, TensorInfo> { ["conv.weight"] = new([1L << 62, 4, 3, 3], TorchSharp.torch.ScalarType.Float32) };

        var e = Assert.Throws<WeightsFormatException>(() => WeightsScreen.Check(declared, Tiny(), "f.pth"));

        Assert.Equal("f.pth: tensor 'conv.weight' has the shape [4611686018427387904, 4, 3, 3], more elements than any tensor can hold", e.Message);
    }

    [Fact]
    public async Task Devices_and_fifos_are_refused_without_being_opened()
    {
        var fifo = PathIn("weights.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();

        foreach (var path in new[] { "/dev/zero", fifo })
        {
            var import = Task.Run(() => Store.Import(path, Tiny()));
            Assert.True(await Task.WhenAny(import, Task.Delay(TimeSpan.FromSeconds(20))) == import, $"importing {path} did not return");
            var e = Assert.IsType<WeightsException>(import.Exception!.InnerException);
            Assert.Equal($"{path}: is not a regular file (a device, FIFO or socket, which runner does not read)", e.Message);
        }
    }
}
