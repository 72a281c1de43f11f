using System.Diagnostics;
using System.Globalization;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Workflow;

/// <summary>
/// setup.sh's decision (what ./runner and ./test.sh rely on): nothing when all is installed; install when root or
/// passwordless sudo can; else print the one command that does and exit 1. Run with fake dpkg-query, id, sudo,
/// apt-get and dotnet first on PATH, so nothing is installed for real.
/// </summary>
public sealed class SetupScriptTests : IDisposable
{
    private readonly TempDir _bin = new();

    public void Dispose() => _bin.Dispose();

    private string AptLog => Path.Combine(_bin.Path, "apt.log");

    private RunnerProcess.Result Setup(int uid, bool passwordlessSudo, string missing, params string[] args)
    {
        Fake("dpkg-query", """for p in $FAKE_MISSING; do [[ "${@: -1}" == "$p" ]] && exit 1; done; echo -n "install ok installed" """);
        Fake("id", "echo $FAKE_UID");
        Fake("sudo", """[[ "$1" == -n ]] && exit $FAKE_SUDO; "$@" """);
        Fake("apt-get", """echo "$*" >> "$FAKE_LOG" """);
        Fake("dotnet", """[[ "$1" == --list-sdks ]] && echo "10.0.100 [/fake]" || echo 10.0.100""");
        var start = new ProcessStartInfo("bash") { WorkingDirectory = _bin.Path };
        start.ArgumentList.Add(Path.Combine(ReferenceFixtures.RepoRoot(), "setup.sh"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["PATH"] = $"{_bin.Path}:/usr/bin:/bin";
        start.Environment["FAKE_MISSING"] = missing;
        start.Environment["FAKE_UID"] = uid.ToString(CultureInfo.InvariantCulture);
        start.Environment["FAKE_SUDO"] = passwordlessSudo ? "0" : "1";
        start.Environment["FAKE_LOG"] = AptLog;
        return RunnerProcess.Execute(start);
    }

    private void Fake(string name, string body)
    {
        var path = _bin.File(name, $"#!/bin/bash\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    public void With_everything_installed_it_says_nothing_and_installs_nothing()
    {
        var result = Setup(uid: 1000, passwordlessSudo: false, missing: "", "--for", "run", "--if-needed");

        Assert.Equal((0, "", ""), (result.ExitCode, result.Output, result.Error));
        Assert.False(File.Exists(AptLog));
    }

    [Fact]
    public void Without_root_or_sudo_it_prints_the_one_command_and_fails()
    {
        var result = Setup(uid: 1000, passwordlessSudo: false, missing: "libgtk-3-0", "--for", "run", "--if-needed");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("runner needs these packages to run: libgtk-3-0", result.Error);
        Assert.Contains("install them with: sudo ./setup.sh --for run", result.Error);
        Assert.False(File.Exists(AptLog));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1000, true)]
    public void As_root_or_with_passwordless_sudo_it_installs_only_what_is_missing(int uid, bool sudo)
    {
        var result = Setup(uid, sudo, missing: "g++ fonts-dejavu-core", "--for", "run", "--if-needed");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        var install = Assert.Single(File.ReadAllLines(AptLog), l => l.StartsWith("install", StringComparison.Ordinal));
        Assert.EndsWith("--no-install-recommends g++ fonts-dejavu-core", install);
    }

    [Fact]
    public void Check_lists_what_is_missing_without_installing_even_as_root()
    {
        var result = Setup(uid: 0, passwordlessSudo: true, missing: "git", "--for", "test", "--check");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("runner needs these packages to test: git", result.Error);
        Assert.Contains("install them with: ./setup.sh --for test", result.Error);
        Assert.False(File.Exists(AptLog));
    }
}
