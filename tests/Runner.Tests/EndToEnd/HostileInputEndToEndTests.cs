using System.Diagnostics;
using System.Globalization;
using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>
/// Careless or hostile input through the real executable: one line naming the home, option, file or field with exit 2
/// (never a stack trace, never another cause), no escape sequence reaching the terminal, and Ctrl-C or SIGTERM ending
/// any long operation within seconds with 130 or 143 and no staging left behind.
/// </summary>
public sealed class HostileInputEndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new(imagesPerClass: 4);

    public void Dispose() => _experiment.Dispose();

    private RunnerProcess.Result Runner(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunnerProcess.Run(_experiment.Root, environment, args);

    /// <summary>Exit 2 and a single line on stderr, starting with "runner: " and holding <paramref name="expected"/>.</summary>
    private static void OneLine(RunnerProcess.Result result, string expected)
    {
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line);
    }

    [Fact]
    public void Unusable_homes_are_one_line_naming_the_home_never_a_dataset_or_io_error()
    {
        var file = Path.Combine(_experiment.Root, "home-file");
        File.WriteAllText(file, "not a folder");

        OneLine(Runner(new Dictionary<string, string> { ["RUNNER_HOME"] = file }, "cache", "ls"),
            $"runner: the runner home {file} (RUNNER_HOME or --home) is a file, not a folder");
        OneLine(Runner(new Dictionary<string, string> { ["RUNNER_HOME"] = "/" }, "cache", "import", "x.tar.gz"),
            "runner: the runner home / (RUNNER_HOME or --home) is the file system's root");
        var readOnly = Runner(new Dictionary<string, string> { ["RUNNER_HOME"] = "/proc/runner-home" }, "validate", "tiny.yaml");
        OneLine(readOnly, "runner: the runner home /proc/runner-home (RUNNER_HOME or --home) cannot be written");
        Assert.DoesNotContain("dataset", readOnly.Error);
    }

    [Fact]
    public void Bad_options_and_paths_are_one_line_naming_them_with_exit_2()
    {
        var none = new Dictionary<string, string>();
        OneLine(Runner(none, "run", "tiny.yaml", "--budget", "99999999999999h"), "runner: --budget '99999999999999h': expected a duration");
        OneLine(Runner(none, "run", "tiny.yaml", "--only", ""), "runner: --only '': no task pattern in it");
        OneLine(Runner(none, "run", "tiny.yaml", "--force", ",,,"), "runner: --force ',,,': no task pattern in it");
        Directory.CreateDirectory(Path.Combine(_experiment.Root, "archives"));
        OneLine(Runner(none, "cache", "export", "tiny.yaml", "--out", "archives"), "runner: cache export --out archives: is a folder");
        OneLine(Runner(none, "cache", "import", "/dev/zero"), "runner: /dev/zero: is not a regular file");
        OneLine(Runner(new Dictionary<string, string> { ["GITHUB_REPOSITORY"] = "octo/runner\n" }, "publish", "tiny.yaml", "--dry-run"),
            "runner: repository 'octo/runner\\x0A' is not OWNER/NAME");
        var safetensors = Path.Combine(_experiment.Root, "negative.safetensors");
        WeightsTestSupport.WriteSafetensors(safetensors,
            "{\"conv1.weight\": {\"dtype\": \"F32\", \"shape\": [-4], \"data_offsets\": [0, 16]}}", new byte[16]);
        OneLine(Runner(none, "weights", "import", safetensors, "--arch", "resnet18"),
            "tensor 'conv1.weight' has the shape [-4], with a negative dimension");
    }

    [Fact]
    public void A_bad_template_name_or_an_idx_file_of_rank_0_is_one_line_naming_the_file()
    {
        File.AppendAllText(_experiment.Yaml, "\nreport: { template: templates }\n");
        Directory.CreateDirectory(Path.Combine(_experiment.Root, "templates"));
        File.WriteAllText(Path.Combine(_experiment.Root, "templates", "..sbn"), "x");
        var template = Runner(new Dictionary<string, string>(), "validate", "tiny.yaml");
        Assert.Equal(2, template.ExitCode);
        Assert.Contains("..sbn: report.template: '..sbn' would render to no usable file name", template.Error);

        var idx = Directory.CreateDirectory(Path.Combine(_experiment.Root, "idx")).FullName;
        global::Runner.Core.Data.IdxFile.Write(Path.Combine(idx, "train-images-idx3-ubyte"), [2, 2, 2], new byte[8]);
        File.WriteAllBytes(Path.Combine(idx, "train-labels-idx1-ubyte"), [0, 0, 8, 0, 1]);
        File.WriteAllText(_experiment.Yaml, File.ReadAllText(_experiment.Yaml).Replace("kind: folder", "kind: idx").Replace("path: data", "path: idx")
            .Replace("\nreport: { template: templates }\n", ""));
        var rank0 = Runner(new Dictionary<string, string>(), "run", "tiny.yaml");
        Assert.True(rank0.ExitCode == 2, rank0.Output + rank0.Error);
        Assert.Contains("train-labels-idx1-ubyte: an IDX file of rank 0", rank0.Error);
        Assert.DoesNotContain("   at ", rank0.Error);
    }

    [Fact]
    public void A_deleted_working_directory_is_one_line()
    {
        var gone = Path.Combine(_experiment.Root, "gone");
        Directory.CreateDirectory(gone);
        var start = RunnerProcess.StartInfo(_experiment.Root, new Dictionary<string, string>(), "validate", "tiny.yaml");
        var runner = string.Join(' ', start.ArgumentList.Select(a => $"'{a}'"));
        start.FileName = "sh";
        start.ArgumentList.Clear();
        foreach (var arg in new[] { "-c", $"cd '{gone}' && rmdir '{gone}' && exec dotnet {runner}" }) start.ArgumentList.Add(arg);

        OneLine(RunnerProcess.Execute(start), "runner: the working directory no longer exists");
    }

    [Fact]
    public void Escape_sequences_from_files_and_options_are_printed_visibly_never_raw()
    {
        var only = Runner(new Dictionary<string, string>(), "run", "tiny.yaml", "--only", "\u001b[31mred");
        File.AppendAllText(_experiment.Yaml, "\n\"evil\u001b]0;pwned\u0007\u001b[2J\": 1\n");

        var validate = Runner(new Dictionary<string, string>(), "validate", "tiny.yaml");

        Assert.Equal(2, validate.ExitCode);
        Assert.Contains("unknown key 'evil\\x1B]0;pwned\\x07\\x1B[2J'", validate.Error);
        Assert.Equal(2, only.ExitCode);
        Assert.Contains("\\x1B[31mred", only.Error);
        Assert.DoesNotContain('\u001b', validate.Output + validate.Error + only.Output + only.Error);
        Assert.DoesNotContain('\u0007', validate.Output + validate.Error);
    }

    [Fact]
    public void Sigterm_during_training_stops_the_run_within_seconds_with_143_and_no_staging_left()
    {
        _experiment.WriteYaml(epochs: 50);

        var (exit, seconds, _, error) = Signal("SIGTERM", "[start] train:", "run", "tiny.yaml", "--progress", "plain");

        Assert.True(exit == 143, $"exit {exit}: {error}");
        Assert.True(seconds < 5, $"took {seconds:0.0} s");
        Assert.Contains("runner: interrupted by SIGTERM", error);
        Assert.Empty(StagingFolders());
    }

    [Fact]
    public void Ctrl_c_stops_a_template_that_renders_for_ages_with_130()
    {
        File.AppendAllText(_experiment.Yaml, "\nreport: { template: templates }\n");
        Directory.CreateDirectory(Path.Combine(_experiment.Root, "templates"));
        File.WriteAllText(Path.Combine(_experiment.Root, "templates", "README.md.sbn"),
            "{{ func f(n); if n > 0; f(n - 1); f(n - 1); end; end; f 40 }}");

        var (exit, seconds, _, error) = Signal("SIGINT", "[start] report", "run", "tiny.yaml", "--progress", "plain");

        Assert.True(exit == 130, $"exit {exit}: {error}");
        Assert.True(seconds < 5, $"took {seconds:0.0} s");
        Assert.Empty(StagingFolders());
    }

    [Fact]
    public void Ctrl_c_during_a_download_exits_130_keeping_the_part_and_showing_no_credential()
    {
        using var server = new LoopbackHttpServer(new byte[100_000]) { Drip = TimeSpan.FromMilliseconds(20) };
        var url = $"http://reader:s3cret@127.0.0.1:{server.Port}/resnet18.pth";

        var (exit, seconds, output, error) = Signal("SIGINT", "Fetching resnet18", "weights", "fetch", "resnet18", "--url", url);

        Assert.True(exit == 130, $"exit {exit}: {output}\n{error}");
        Assert.True(seconds < 5, $"took {seconds:0.0} s");
        Assert.Contains($"Fetching resnet18 weights from http://***@127.0.0.1:{server.Port}/resnet18.pth", output);
        Assert.Contains("download stopped by Ctrl-C (SIGINT); the partial file is kept", error);
        Assert.DoesNotContain("s3cret", output + error);
    }

    private IEnumerable<string> StagingFolders()
    {
        var staging = Path.Combine(_experiment.Root, ".runner", "cache", "staging");
        return Directory.Exists(staging) ? Directory.EnumerateDirectories(staging) : [];
    }

    /// <summary>
    /// Starts runner, sends <paramref name="signal"/> once stdout shows <paramref name="line"/> (and a second more), and times
    /// the exit. Synchronous on purpose: the test's own awaits could wait behind other tests' work, not the runner.
    /// </summary>
    private (int Exit, double Seconds, string Output, string Error) Signal(string signal, string line, params string[] args)
    {
        using var process = Process.Start(RunnerProcess.StartInfo(_experiment.Root, new Dictionary<string, string>(), args))!;
        var error = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (error) error.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        var output = new System.Text.StringBuilder();
        string? read;
        while ((read = process.StandardOutput.ReadLine()) is not null)
            if (output.AppendLine(read).ToString().Contains(line, StringComparison.Ordinal)) break;
        Assert.True(read is not null, $"runner ended before '{line}':\n{output}\n{error}");
        Thread.Sleep(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", [$"-{signal[3..]}", process.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
        output.Append(process.StandardOutput.ReadToEnd());
        if (!process.WaitForExit(TimeSpan.FromSeconds(60))) process.Kill(entireProcessTree: true);
        var seconds = clock.Elapsed.TotalSeconds;
        process.WaitForExit(); // the error stream's last lines
        lock (error) return (process.ExitCode, seconds, output.ToString(), error.ToString());
    }
}
