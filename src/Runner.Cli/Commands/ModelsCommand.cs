using System.CommandLine;
using System.Globalization;
using Runner.Torch;
using Runner.Torch.Models;

namespace Runner.Cli.Commands;

/// <summary>
/// <c>runner models</c>: every architecture with its input size, normalisation, measured size and cost, then its release
/// tags: the default one (what <c>weights: imagenet</c> fetches) first, each with the published top-1, the evaluation
/// transforms it was scored with, the file and how its download is verified.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var names = new Argument<string[]>("ARCH") { Description = "Architectures to describe (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("models",
            "List the architectures with parameters and GMACs measured at their default input size, and their release tags")
        {
            names,
        };
        command.SetAction(p => CommandLine.Guard(() =>
        {
            var output = p.InvocationConfiguration.Output;
            var chosen = p.GetValue(names) is { Length: > 0 } n ? n : ArchRegistry.Default.Names.Order().ToArray();
            var unknown = chosen.Where(c => !ArchRegistry.Default.Names.Contains(c)).ToList();
            if (unknown.Count > 0)
                throw new UsageException(
                    $"unknown architecture {string.Join(", ", unknown)}; known: {string.Join(", ", ArchRegistry.Default.Names.Order())}");
            TorchRuntime.Start("cpu");
            output.WriteLine($"{"arch",-20} {"input",5}  {"normalise",-9} {"params",12} {"GMACs",7}");
            foreach (var arch in chosen.Select(c => ArchRegistry.Default[c]))
            {
                using var model = arch.Create(1000);
                var complexity = Complexity.Measure(model, arch.DefaultImageSize);
                output.WriteLine(
                    $"{arch.Name,-20} {arch.DefaultImageSize,5}  {arch.Normalization.Name,-9} {complexity.Params,12:N0} {complexity.GMacs,7:0.00}");
                foreach (var release in arch.Releases) output.WriteLine("  " + Describe(release, ReferenceEquals(release, arch.Release)));
                if (arch.Bundled is { } bundled) output.WriteLine($"  imagenet: bundled ({bundled.RelativePath})");
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// "IMAGENET1K_V2 (imagenet)  top-1 80.858  resize 232 bilinear, crop 224, mean …, std …  resnet50-11ad3fa6.pth (hash in name)".
    /// </summary>
    internal static string Describe(ReleaseWeights release, bool isDefault)
    {
        var tag = release.Tag + (isDefault ? " (imagenet)" : "");
        var top1 = release.Top1 is { } t ? $"top-1 {t.ToString("0.000", CultureInfo.InvariantCulture)}" : "top-1 -";
        var check = release.Rule switch
        {
            ChecksumRule.Pinned => "sha256 pinned",
            ChecksumRule.HubSuffix => "hash in name",
            _ => "unverified: no published checksum",
        };
        return $"{tag,-37} {top1,-13} {release.Transforms?.ToString() ?? "-"}  {release.FileName} ({check})";
    }
}
