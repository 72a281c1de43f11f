using System.CommandLine;
using Runner.Torch;
using Runner.Torch.Models;

namespace Runner.Cli.Commands;

/// <summary><c>runner models</c>: every architecture with its input size, normalisation, measured size and cost.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var names = new Argument<string[]>("ARCH") { Description = "Architectures to describe (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("models", "List the architectures with parameters and GMACs measured at their default input size") { names };
        command.SetAction(p => CommandLine.Guard(() =>
        {
            TorchRuntime.Start("cpu");
            var chosen = p.GetValue(names) is { Length: > 0 } n ? n : ArchRegistry.Default.Names.Order().ToArray();
            var unknown = chosen.Where(c => !ArchRegistry.Default.Names.Contains(c)).ToList();
            if (unknown.Count > 0) throw new UsageException($"unknown architecture {string.Join(", ", unknown)}; known: {string.Join(", ", ArchRegistry.Default.Names.Order())}");
            Console.WriteLine($"{"arch",-20} {"input",5}  {"normalise",-9} {"params",12} {"GMACs",7}  release weights");
            foreach (var arch in chosen.Select(c => ArchRegistry.Default[c]))
            {
                using var model = arch.Create(1000);
                var complexity = Complexity.Measure(model, arch.DefaultImageSize);
                Console.WriteLine($"{arch.Name,-20} {arch.DefaultImageSize,5}  {arch.Normalization.Name,-9} {complexity.Params,12:N0} {complexity.GMacs,7:0.00}  {Describe(arch.Release)}");
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>"resnet18-f37072fd.pth (hash in name)": the file <c>weights fetch</c> downloads and how it is verified.</summary>
    private static string Describe(ReleaseWeights? release) => release is null ? "-" : release.Rule switch
    {
        ChecksumRule.Pinned => $"{release.FileName} (sha256 pinned)",
        ChecksumRule.HubSuffix => $"{release.FileName} (hash in name)",
        _ => $"{release.FileName} (unverified: no published checksum)",
    };
}
