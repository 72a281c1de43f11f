using System.CommandLine;
using Runner.Cli;
using Runner.Cli.Commands;

namespace Runner.Tests.Cli.Commands;

/// <summary><c>runner models</c>: what a user reads to pick a backbone and a release tag.</summary>
public sealed class ModelsCommandTests
{
    private static (int Code, string[] Lines) Invoke(params string[] args)
    {
        var parsed = new RootCommand("test") { ModelsCommand.Create() }.Parse(["models", .. args]);
        Assert.Empty(parsed.Errors);
        var output = new StringWriter();
        var code = parsed.Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        return (code, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void Lists_each_architecture_then_its_tags_default_first_with_top1_transforms_file_and_checksum_rule()
    {
        var (code, lines) = Invoke("mobilenet_v2", "xception");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(6, lines.Length);
        Assert.StartsWith("arch", lines[0]);
        Assert.Matches(@"^mobilenet_v2\s+224\s+imagenet\s+3,504,872\s+0\.3\d$", lines[1]);
        Assert.Matches(@"^IMAGENET1K_V2 \(imagenet\)\s+top-1 72\.154\s+resize 232 bilinear, crop 224, mean 0\.485/0\.456/0\.406, " +
            @"std 0\.229/0\.224/0\.225\s+mobilenet_v2-7ebf99e0\.pth \(hash in name\)$", lines[2]);
        Assert.Matches(@"^IMAGENET1K_V1\s+top-1 71\.878\s+resize 256 bilinear, crop 224, .*mobilenet_v2-b0353104\.pth \(hash in name\)$", lines[3]);
        Assert.Matches(@"^xception\s+299\s+inception\s", lines[4]);
        Assert.Matches(@"^tf_in1k \(imagenet\)\s+top-1 78\.892\s+.*xception-43020ad28\.pth \(unverified: no published checksum\)$", lines[5]);
    }

    [Fact]
    public void An_unknown_architecture_is_bad_input()
    {
        var (code, lines) = Invoke("resnet18", "convnext_huge");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Empty(lines);
    }
}
