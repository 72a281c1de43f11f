using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Runner.Tests.Fixtures;
using Runner.Torch.Weights;
using TorchSharp.PyBridge;
using static Runner.Tests.Fixtures.WeightsTestSupport;

namespace Runner.Tests.Torch.Weights;

/// <summary>
/// A few hundred hostile weight files, made by seeded mutations of valid ones in every format: safetensors headers (shapes,
/// offsets, dtypes, the header length), torch.save pickles (zip and legacy: flipped bytes in the pickle that declares
/// names, shapes, strides and storages; truncation) and ONNX protobufs. Each import ends within seconds with the weights
/// imported or a <see cref="WeightsException"/> (exit code 2): never another exception, a hang or a stack trace.
/// </summary>
public sealed class WeightsHeaderFuzzTests(WeightsHeaderFuzzTests.Legacy legacy) : WeightsTestBase, IClassFixture<WeightsHeaderFuzzTests.Legacy>
{
    private const int CasesPerFormat = 60;
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(20);

    /// <summary>Tiny's state_dict in the legacy torch.save format, which only PyTorch writes.</summary>
    public sealed class Legacy : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("runner-fuzz-legacy-").FullName;

        public Legacy() => ReferenceFixtures.RunPython("-c", """
            import collections, sys, torch
            sd = collections.OrderedDict(
                [('conv.weight', torch.randn(4, 3, 3, 3)), ('conv.bias', torch.randn(4)), ('bn.weight', torch.ones(4)),
                 ('bn.bias', torch.zeros(4)), ('bn.running_mean', torch.zeros(4)), ('bn.running_var', torch.ones(4)),
                 ('bn.num_batches_tracked', torch.tensor(0)), ('fc.weight', torch.randn(10, 4)), ('fc.bias', torch.randn(10))])
            torch.save(sd, sys.argv[1] + '/legacy.pth', _use_new_zipfile_serialization=False)
            """, _directory);

        public string Path => System.IO.Path.Combine(_directory, "legacy.pth");

        public void Dispose() => Directory.Delete(_directory, recursive: true);
    }

    private static readonly string[] Numbers =
        ["-1", "0", "1", "3", "2147483648", "4611686018427387904", "9223372036854775807", "99999999999999999999", "1e400", "-4", "1.5", "null",
            "\"4\""];

    private static readonly string[] DataTypes = ["\"F8_E4M3\"", "\"\"", "\"I64\"", "\"BOOL\"", "\"U8\"", "\"F64\"", "7"];

    private string Safetensors(Random random, int n)
    {
        using var model = Randomized(Tiny(), 10);
        var path = PathIn($"base{n}.safetensors");
        TorchSharp.PyBridge.Safetensors.SaveStateDict(path, StateDict(model));
        var bytes = File.ReadAllBytes(path);
        var length = (int)BitConverter.ToUInt64(bytes);
        var header = Encoding.UTF8.GetString(bytes, 8, length);
        switch (random.Next(4))
        {
            case 0: // a number in a shape or data_offsets
                var numbers = Regex.Matches(header, @"-?\d+").ToList();
                var number = numbers[random.Next(numbers.Count)];
                header = header[..number.Index] + Numbers[random.Next(Numbers.Length)] + header[(number.Index + number.Length)..];
                break;
            case 1:
                var dtype = DataTypes[random.Next(DataTypes.Length)];
                header = Regex.Replace(header, "\"[A-Z0-9_]+\"(?=,\\s*\"shape\")", dtype, RegexOptions.None, TimeSpan.FromSeconds(1));
                break;
            case 2: // a key renamed
                header = header.Replace("conv.weight", random.Next(2) == 0 ? "fc.weight" : "module.conv.weight");
                break;
            default: // the header's length field
                var lengths = new ulong[] { 0, 1, (ulong)length - 1, (ulong)length + 1, ulong.MaxValue, 1UL << 40 };
                BitConverter.GetBytes(lengths[random.Next(lengths.Length)]).CopyTo(bytes, 0);
                File.WriteAllBytes(path, bytes);
                return path;
        }
        var json = Encoding.UTF8.GetBytes(header);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. bytes.AsSpan(8 + length)]);
        return path;
    }

    private string ZipPickle(Random random, int n)
    {
        using var model = Randomized(Tiny(), 10);
        var source = SavePy(PathIn($"source{n}.pth"), model);
        var path = PathIn($"base{n}.pth");
        using (var input = ZipFile.OpenRead(source))
        using (var output = ZipFile.Open(path, ZipArchiveMode.Create))
            foreach (var entry in input.Entries)
            {
                using var read = entry.Open();
                using var copy = new MemoryStream();
                read.CopyTo(copy);
                var data = copy.ToArray();
                if (entry.FullName.EndsWith("data.pkl", StringComparison.Ordinal)) Flip(random, data);
                using var write = output.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                write.Write(data);
            }
        File.Delete(source);
        return path;
    }

    private string LegacyPickle(Random random, int n)
    {
        var bytes = File.ReadAllBytes(legacy.Path);
        var path = PathIn($"base{n}.pth");
        var pickles = Math.Min(bytes.Length, 1200); // the five pickles; the storages follow
        var head = bytes[..pickles];
        Flip(random, head);
        head.CopyTo(bytes, 0);
        File.WriteAllBytes(path, random.Next(5) == 0 ? bytes[..random.Next(bytes.Length)] : bytes);
        return path;
    }

    private string Onnx(Random random, int n)
    {
        var bytes = OnnxTestModels.Synthetic(("conv.weight", [4, 3, 3, 3], new float[108]), ("conv.bias", [4], new float[4]),
            ("bn.weight", [4], new float[4]), ("bn.bias", [4], new float[4]), ("bn.running_mean", [4], new float[4]),
            ("bn.running_var", [4], [1, 1, 1, 1]), ("fc.weight", [10, 4], new float[40]), ("fc.bias", [10], new float[10]));
        Flip(random, bytes);
        var path = PathIn($"base{n}.onnx");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Changes one to four bytes: a bit flipped, or a byte set to 0, 0xFF or 0x7F (the values that make sizes hostile).</summary>
    private static void Flip(Random random, byte[] bytes)
    {
        for (var k = 0; k < 1 + random.Next(4); k++)
        {
            var at = random.Next(bytes.Length);
            bytes[at] = random.Next(3) switch { 0 => (byte)(bytes[at] ^ (1 << random.Next(8))), 1 => 0xFF, _ => (byte)random.Next(256) };
        }
    }

    [Fact]
    public async Task Every_hostile_weight_file_is_imported_or_refused_as_bad_input_within_seconds()
    {
        var random = new Random(26);
        var makers = new Func<Random, int, string>[] { Safetensors, ZipPickle, LegacyPickle, Onnx };
        var refused = 0;
        for (var n = 0; n < CasesPerFormat * makers.Length; n++)
        {
            var path = makers[n % makers.Length](random, n);
            var import = Task.Run(() => WeightsImport.Import(path, Tiny()));
            Assert.True(await Task.WhenAny(import, Task.Delay(PerCase)) == import, $"case {n} ({Path.GetFileName(path)}) did not finish");
            if (import.IsCompletedSuccessfully) (await import).Dispose();
            else Assert.True(import.Exception!.InnerException is WeightsException,
                $"case {n} ({Path.GetFileName(path)}): {import.Exception.InnerException}");
            if (!import.IsCompletedSuccessfully) refused++;
            File.Delete(path);
        }
        Assert.True(refused > CasesPerFormat, $"only {refused} of {CasesPerFormat * makers.Length} refused: do the mutations reach the headers?");
    }
}
