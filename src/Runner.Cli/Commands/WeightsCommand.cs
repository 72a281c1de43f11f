using System.CommandLine;
using System.Globalization;
using Runner.Core.Config;
using Runner.Core.Util;
using Runner.Torch;
using Runner.Torch.Models;
using Runner.Torch.Weights;

namespace Runner.Cli.Commands;

/// <summary>
/// <c>runner weights import FILE --arch A [--name N] [--format F]</c>, <c>runner weights list</c> and
/// <c>runner weights fetch [A…] [--for FILE] [--url URL] [--sha256 HEX] [--mirror BASE_URL]</c>: pretrained weights in <c>$RUNNER_HOME/weights</c>.
/// </summary>
internal static class WeightsCommand
{
    public static Command Create() => Create(() =>
    {
        CommandLine.RequireWritableHome();
        return WeightsStore.Default();
    }, ArchRegistry.Default, Environment.GetEnvironmentVariable);

    /// <summary>The command over a given store, registry and environment (tests pass a temporary store).</summary>
    public static Command Create(Func<WeightsStore> store, ArchRegistry archs, Func<string, string?> environment)
    {
        var command = new Command("weights", "Pretrained weights: import a file, fetch a release, list what is stored");
        command.Subcommands.Add(Import(store, archs));
        command.Subcommands.Add(List(store));
        command.Subcommands.Add(Fetch(store, archs, environment));
        return command;
    }

    private static Command Import(Func<WeightsStore> store, ArchRegistry archs)
    {
        var file = new Argument<string>("FILE") { Description = "Weight file: a torch.save state_dict (.pth/.pt) or .safetensors" };
        var arch = ArchOption(archs);
        var name = NameOption();
        var format = new Option<string>("--format") { Description = $"File format ({string.Join(", ", WeightsFormats.Names)}); detected from the content by default" };
        var command = new Command("import", "Import a weight file strictly into an architecture and store it") { file, arch, name, format };
        command.SetAction(p => Run(p, () =>
        {
            var definition = Arch(archs, p.GetValue(arch)!);
            var path = p.GetValue(file)!;
            if (RegularFile.Problem(path) is { } problem) throw new UsageException($"{path}: {problem}");
            var explicitFormat = p.GetValue(format) is { } f ? WeightsFormats.ByName(f) : null;
            TorchRuntime.Start("cpu");
            var stored = store().Import(path, definition, p.GetValue(name)!, format: explicitFormat);
            PrintStored(p.InvocationConfiguration.Output, stored, $"from {path}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command List(Func<WeightsStore> store)
    {
        var command = new Command("list", "List stored weights: architecture, name, parameters, SHA-256, source");
        command.SetAction(p => Run(p, () =>
        {
            var output = p.InvocationConfiguration.Output;
            var weights = store();
            var entries = weights.List();
            if (entries.Count == 0)
            {
                output.WriteLine($"No weights in {weights.Root}. Add some with `runner weights fetch ARCH` or `runner weights import FILE --arch ARCH`.");
                return ExitCodes.Success;
            }
            var rows = entries.Select(e => new[]
            {
                e.Arch, e.Name, e.Manifest.Parameters.ToString("N0", CultureInfo.InvariantCulture), e.Manifest.HeadClasses,
                e.Manifest.Sha256[..Math.Min(12, e.Manifest.Sha256.Length)], e.Manifest.Source,
            }).ToList();
            string[] header = ["ARCH", "NAME", "PARAMS", "HEAD", "SHA256", "SOURCE"];
            var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
            string Line(string[] cells) => string.Join("  ", cells.Select((c, i) =>
                i == cells.Length - 1 ? c : i is 2 ? c.PadLeft(widths[i]) : c.PadRight(widths[i])));
            output.WriteLine(Line(header));
            foreach (var row in rows) output.WriteLine(Line(row));
            output.WriteLine($"{entries.Count} entr{(entries.Count == 1 ? "y" : "ies")} in {weights.Root}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Fetch(Func<WeightsStore> store, ArchRegistry archs, Func<string, string?> environment)
    {
        var arch = new Argument<string[]>("ARCH") { Description = $"Architectures ({string.Join(", ", archs.Names.Order())})", Arity = ArgumentArity.ZeroOrMore };
        var forFile = new Option<string>("--for")
        {
            Description = "Also every release this experiment file names (weights: imagenet, or a release tag) that the store lacks",
        };
        var tag = new Option<string>("--tag")
        {
            Description = "The release published under this tag (IMAGENET1K_V1, IMAGENET1K_V2, IMAGENET1K_SWAG_E2E_V1…; `runner models` lists them), " +
                "stored under the tag's name; default: the default release, stored as 'imagenet'",
        };
        var url = new Option<string>("--url") { Description = "Download this file instead (your own file or mirror; one architecture)" };
        var sha = new Option<string>("--sha256") { Description = "Expected SHA-256, or its first 8+ hex digits (default: the release's checksum)" };
        var mirror = new Option<string>("--mirror")
        {
            Description = $"Download the release files from this base URL instead, under their release names (default: ${FetchSource.MirrorVariable})",
        };
        var command = new Command("fetch", "Download architectures' released ImageNet weights (resumable), verify and import them as 'imagenet' (or their tag)")
        {
            arch, forFile, tag, url, sha, mirror,
        };
        command.SetAction(p => Run(p, () =>
        {
            var output = p.InvocationConfiguration.Output;
            var error = p.InvocationConfiguration.Error;
            var experiment = p.GetValue(forFile);
            var names = p.GetValue(arch)!.ToList();
            if (names.Count == 0 && experiment is null) throw new UsageException("name an architecture, or give --for FILE");
            var storeName = p.GetValue(tag) ?? WeightsStore.DefaultName;
            var definitions = names.Select(n => (Arch: Arch(archs, n), Name: storeName)).ToList();
            TorchRuntime.Start("cpu");
            if (experiment is not null) definitions.AddRange(MissingReleases(experiment, store(), archs));
            definitions = definitions.Distinct().ToList();
            if (definitions.Count > 1 && (p.GetValue(url) is not null || p.GetValue(sha) is not null))
                throw new UsageException("--url and --sha256 apply to a single architecture");
            if (definitions.Count == 0) output.WriteLine($"{experiment}: every released weight file it needs is stored");
            var source = HttpUrl("--url", p.GetValue(url));
            var mirrorUrl = p.GetValue(mirror) is { } explicitMirror ? HttpUrl("--mirror", explicitMirror)
                : environment(FetchSource.MirrorVariable) is { Length: > 0 } fromEnvironment ? HttpUrl(FetchSource.MirrorVariable, fromEnvironment)
                : null;

            var failures = new List<(string Arch, string Message, int Code)>();
            foreach (var (definition, name) in definitions)
            {
                try
                {
                    var fetchSource = FetchSource.For(definition, source, p.GetValue(sha), mirrorUrl, name == WeightsStore.DefaultName ? null : name);
                    if (FetchOne(output, error, store(), definition, fetchSource, name) is { } cancelled) return cancelled;
                }
                catch (Exception e) when (e is WeightsException or WeightsDownloadException)
                {
                    var code = e is WeightsException ? ExitCodes.InvalidInput : ExitCodes.TasksFailed;
                    error.WriteLine($"runner: {definition.Name}: {e.Message}");
                    failures.Add((definition.Name, e.Message.Split('\n')[0], code));
                }
            }
            if (failures.Count == 0) return ExitCodes.Success;
            if (definitions.Count > 1)
            {
                error.WriteLine($"{failures.Count} of {definitions.Count} architecture(s) failed:");
                foreach (var (name, message, _) in failures) error.WriteLine($"  {name}: {message}");
            }
            return failures.Any(f => f.Code == ExitCodes.TasksFailed) ? ExitCodes.TasksFailed : ExitCodes.InvalidInput;
        }));
        return command;
    }

    private static Uri? HttpUrl(string option, string? value)
    {
        if (value is null) return null;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return uri;
        throw new UsageException($"{option} {(uri is null ? $"'{value}'" : UrlText.Redact(uri))}: not an http(s) URL");
    }

    /// <summary>
    /// The releases the experiment's backbones name (<c>imagenet</c> or a tag) that the store does not hold. The dataset need
    /// not be on the machine yet: weights are often fetched before the data.
    /// </summary>
    private static IEnumerable<(ArchDefinition Arch, string Name)> MissingReleases(string experiment, WeightsStore store, ArchRegistry archs) =>
        ExperimentWeights.MissingReleases(ExperimentFile.Load(experiment, archs, checkDatasetPaths: false), archs, store);

    /// <summary>Downloads and imports one architecture's file; returns an exit code only when the user cancelled.</summary>
    private static int? FetchOne(TextWriter output, TextWriter error, WeightsStore weights, ArchDefinition definition, FetchSource source,
        string name)
    {
        // Redirects are followed by the downloader, to http(s) URLs only.
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30), AllowAutoRedirect = false })
            { Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("runner/0.1");
        var progress = new ConsoleProgress(output, interactive: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
        var downloader = new WeightsDownloader(http) { Progress = progress.Report };
        try
        {
            output.WriteLine($"Fetching {definition.Name} weights{(name == WeightsStore.DefaultName ? "" : $" '{name}'")} from {UrlText.Redact(source.Url)}");
            var fetched = weights.FetchAsync(definition, downloader, source, name, Interruption.Token).GetAwaiter().GetResult();
            progress.Finish();
            var d = fetched.Download;
            var check = fetched.Verified
                ? $"sha256 {d.Sha256[..12]}… verified"
                : $"NOT verified (no published checksum; give --sha256 to check it): sha256 {d.Sha256}";
            output.WriteLine(d.AlreadyPresent
                ? $"Already downloaded: {d.Path}; {check}"
                : $"Downloaded {d.Bytes:N0} bytes{(d.ResumedFrom > 0 ? $" (resumed at {d.ResumedFrom:N0})" : "")} to {d.Path}; {check}");
            PrintStored(output, fetched.Stored, $"from {fetched.Stored.Entry.Manifest.Source}");
            return null;
        }
        catch (OperationCanceledException) when (Interruption.Requested)
        {
            error.WriteLine($"runner: download stopped by {Interruption.SignalName}; the partial file is kept: run the same command again to resume");
            return Interruption.ExitCode;
        }
        finally
        {
            progress.Finish();
        }
    }

    /// <summary>Guard plus the weights errors: bad input exits 2, a failed download exits 1.</summary>
    private static int Run(ParseResult p, Func<int> body) => CommandLine.Guard(() =>
    {
        try
        {
            return body();
        }
        catch (WeightsException e)
        {
            p.InvocationConfiguration.Error.WriteLine($"runner: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (WeightsDownloadException e)
        {
            p.InvocationConfiguration.Error.WriteLine($"runner: {e.Message}");
            return ExitCodes.TasksFailed;
        }
    });

    private static Option<string> ArchOption(ArchRegistry archs) => new("--arch")
    {
        Description = $"Architecture ({string.Join(", ", archs.Names.Order())})", Required = true,
    };

    private static Option<string> NameOption() => new("--name")
    {
        Description = "Name to store the weights under", DefaultValueFactory = _ => WeightsStore.DefaultName,
    };

    private static ArchDefinition Arch(ArchRegistry archs, string name) =>
        archs.Names.Contains(name) ? archs[name] : throw new UsageException($"unknown architecture '{name}' (known: {string.Join(", ", archs.Names.Order())})");

    private static void PrintStored(TextWriter output, StoredWeights stored, string from)
    {
        var m = stored.Entry.Manifest;
        var head = m.HasHead ? $"head {m.HeadClasses} classes" : "no head";
        output.WriteLine($"Imported {m.Arch} '{m.Name}' {from} ({m.SourceFormat}): {m.Parameters:N0} parameters, {head}, strict match");
        foreach (var note in stored.Notes) output.WriteLine($"  note: {note}");
        output.WriteLine($"  stored {stored.Entry.WeightsPath} (sha256 {m.Sha256[..12]}…)");
    }

    /// <summary>Download progress: one rewritten line on a terminal, a line per 10 % otherwise.</summary>
    private sealed class ConsoleProgress(TextWriter output, bool interactive)
    {
        private int _lastDecile = -1;
        private bool _open;

        public void Report(DownloadProgress p)
        {
            var mib = (long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
            var text = $"  {p.FileName}: {mib(p.Received)}{(p.Total is { } t ? $" / {mib(t)}" : "")} MiB" +
                (p.Fraction is { } f ? $" ({f * 100:0}%)" : "") + $", {mib((long)p.Rate)} MiB/s" +
                (p.ResumedFrom > 0 ? $", resumed at {mib(p.ResumedFrom)} MiB" : "");
            if (interactive)
            {
                TerminalText.RawOut.Write($"\r{TerminalText.Escape(text)}\u001b[K"); // redraws the line: only runner's own escapes reach the terminal
                _open = true;
                if (p.Done) Finish();
                return;
            }
            var decile = p.Fraction is { } fraction ? (int)(fraction * 10) : -1;
            if (p.Done || decile > _lastDecile)
            {
                _lastDecile = decile;
                output.WriteLine(text);
            }
        }

        public void Finish()
        {
            if (!_open) return;
            TerminalText.RawOut.WriteLine();
            _open = false;
        }
    }
}
