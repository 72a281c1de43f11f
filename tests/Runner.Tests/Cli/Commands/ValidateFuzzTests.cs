using System.CommandLine;
using System.Text;
using Runner.Cli;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Cli.Commands;

/// <summary>
/// A few hundred malformed experiment files, made by seeded mutations of a valid one (deleted spans, stray YAML tokens,
/// hostile values, duplicated, swapped and re-indented lines, truncation, deep nesting, alias bombs), each through
/// <c>runner validate</c> in process: every one ends within seconds with exit 0 or 2 — never a crash (exit 1) or a hang.
/// </summary>
public sealed class ValidateFuzzTests : IDisposable
{
    private const int Cases = 300;
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(20);

    private static readonly string[] Tokens =
    [
        "[", "]", "{", "}", ": ", "- ", ",", "&a ", "*a", "*nope", "!!binary ", "!!python/object:os.system ", "!<tag:x> ", "\t", "\0",
        "\"", "'", "%YAML 1.1\n", "---\n", "...\n", "? ", "|", ">", "#", "\u202e", "\ud83d\ude00", "\ufeff", "\r", "\n  ", "@", "`",
    ];

    private static readonly string[] Values =
    [
        "-1", "0", "1e400", "-1e400", ".nan", ".inf", "NaN", "99999999999999999999", "2147483648", "null", "~", "''", "\"\"", "[]", "{}",
        "..", "../../runner-fuzz", "/etc/passwd", "/etc/runner-fuzz", "'^(a+)+$'", "'(?<=x)y'", "'['", "true", "yes", "0x10", "1_000",
        "[1, [2, [3]]]", "{ a: b }", "cuda", "last-99999", "'\\u0000'", new string('x', 400), "'a\nb'",
    ];

    private readonly TempDir _dir = new();
    private readonly string _base;

    public ValidateFuzzTests()
    {
        foreach (var c in new[] { "cat", "dog" })
            for (var i = 0; i < 3; i++) _dir.File($"data/{c}/{c}{i}.png");
        _base = $$"""
            name: fuzz
            dataset:
              kind: folder
              path: {{Path.Combine(_dir.Path, "data")}}
              split: { validation: 0.25, test: 0.25, stratify: true, seed: 42 }
            defaults:
              image_size: 32
              epochs: 1
              batch_size: 4
              optimizer: { name: adam, lr: 1.0e-3 }
              schedule: { name: cosine, warmup_epochs: 0 }
              augment: light
              seed: 42
            augmentations:
              light:
                - hflip: { p: 0.25 }
                - corner_crop: { p: 0.5, size: 0.875 }
                - rotate
            backbones:
              - resnet18
              - { name: small, arch: mobilenet_v2, epochs: 2, optimizer: { name: sgd, lr: 0.01, momentum: 0.9 } }
            ensembles:
              stacked: { members: [resnet18, small], method: stacking, hidden: [8], folds: 2 }
              averaged: { members: [resnet18, small], method: mean }
            timing: { warmup: 1, iterations: 2, batch_sizes: [1, 2] }
            report: { output: reports/fuzz-{{Guid.NewGuid():N}} }

            """;
    }

    public void Dispose() => _dir.Dispose();

    private string Mutate(Random random)
    {
        var lines = _base.Split('\n').ToList();
        // The dataset path stays a small folder (or is replaced whole): a path cut down to "/tmp" would make validate walk it.
        var pathLine = lines.FindIndex(l => l.TrimStart().StartsWith("path:", StringComparison.Ordinal));
        int Line() => Enumerable.Range(0, 50).Select(_ => random.Next(lines.Count)).First(i => i != pathLine);
        var rounds = 1 + random.Next(3);
        for (var r = 0; r < rounds; r++)
        {
            var i = Line();
            var line = lines[i];
            switch (random.Next(10))
            {
                case 0 when line.Length > 0: // delete a span
                    var start = random.Next(line.Length);
                    lines[i] = line.Remove(start, random.Next(1, line.Length - start + 1));
                    break;
                case 1: // a stray token
                    lines[i] = line.Insert(random.Next(line.Length + 1), Tokens[random.Next(Tokens.Length)]);
                    break;
                case 2 when line.Contains(": "): // a hostile value
                    var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
                    var end = line.IndexOfAny([',', '}'], colon);
                    lines[i] = line[..(colon + 2)] + Values[random.Next(Values.Length)] + (end < 0 ? "" : line[end..]);
                    break;
                case 3:
                    lines.Insert(i, line);
                    break;
                case 4:
                    var j = Line();
                    (lines[i], lines[j]) = (lines[j], lines[i]);
                    break;
                case 5:
                    lines[i] = new string(' ', random.Next(7)) + line.TrimStart();
                    break;
                case 6:
                    lines.RemoveRange(i, lines.Count - i);
                    lines.Add("");
                    break;
                case 7: // deep nesting
                    var depth = random.Next(10, 3000);
                    lines[i] = line + string.Concat(Enumerable.Repeat(random.Next(2) == 0 ? "[" : "{a: ", depth));
                    break;
                case 8: // an alias bomb at the top
                    lines.Insert(0, "x0: &x0 [a, a, a, a, a, a, a, a, a, a]");
                    for (var k = 1; k < 10; k++) lines.Insert(k, $"x{k}: &x{k} [{string.Join(", ", Enumerable.Repeat($"*x{k - 1}", 10))}]");
                    break;
                case 9: // the dataset path replaced whole
                    lines[pathLine] = "  path: " + Values[random.Next(Values.Length)];
                    break;
            }
        }
        return string.Join('\n', lines);
    }

    [Fact]
    public async Task Every_malformed_file_gets_exit_0_or_2_within_seconds()
    {
        var random = new Random(16);
        var exits = new Dictionary<int, int>();
        for (var n = 0; n < Cases; n++)
        {
            var text = Mutate(random);
            var file = Path.Combine(_dir.Path, $"case{n}.yaml");
            File.WriteAllText(file, text, new UTF8Encoding(false));
            var error = new StringWriter(); // where an unhandled exception's stack trace would go
            var validate = Task.Run(() => CommandLine.Build().Parse(["validate", file])
                .Invoke(new InvocationConfiguration { Output = TextWriter.Null, Error = error }));
            Assert.True(await Task.WhenAny(validate, Task.Delay(PerCase)) == validate, $"case {n} did not finish within {PerCase.TotalSeconds} s:\n{text}");
            var exit = await validate;
            Assert.True(exit is ExitCodes.Success or ExitCodes.InvalidInput, $"case {n} exited {exit}: {error}\n{text}");
            exits[exit] = exits.GetValueOrDefault(exit) + 1;
        }
        // The mutations must mostly break the file (and the base must stay valid), or this test checks little.
        Assert.True(exits.GetValueOrDefault(ExitCodes.InvalidInput) > Cases / 2, $"only {exits.GetValueOrDefault(ExitCodes.InvalidInput)} invalid");
        Assert.True(exits.GetValueOrDefault(ExitCodes.Success) > 0, "no mutation stayed valid: is the base file valid?");
    }
}
