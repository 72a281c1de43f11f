using Runner.Core.Config;
using Runner.Core.Execution;
using Runner.Core.Reporting;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Reporting;

/// <summary>
/// <c>report.output</c> resolves inside the working directory (the test's: its bin folder, where these tests make uniquely
/// named entries) and never onto a file or folder runner did not write; <c>validate</c> says so at the field.
/// </summary>
public sealed class ReportOutputTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _local = "hostile-report-" + Guid.NewGuid().ToString("N")[..12];

    public void Dispose()
    {
        _dir.Dispose();
        if (Directory.Exists(_local)) Directory.Delete(_local, recursive: true);
        if (File.Exists(_local)) File.Delete(_local);
        if (new FileInfo(_local + "-link").LinkTarget is not null) File.Delete(_local + "-link");
    }

    private string Experiment(string report) => Yaml.Basic(_dir.Sub("data")) + report + "\n";

    private static ConfigError OutputError(string yaml) =>
        Assert.Single(Yaml.Fails(yaml).Errors, e => e.Message.StartsWith("report.output", StringComparison.Ordinal));

    [Theory]
    [InlineData(".", "is the working directory itself")]
    [InlineData("''", "the report folder is empty")]
    [InlineData("/etc/runner-report", "outside the working directory")]
    [InlineData("../../runner-report", "outside the working directory")]
    [InlineData("..", "outside the working directory")]
    public void Outputs_outside_the_working_tree_are_refused_at_the_output_field(string output, string message)
    {
        var error = OutputError(Experiment($"report: {{ output: {output} }}"));

        Assert.Equal(14, error.Line);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void An_existing_file_is_never_a_report_folder()
    {
        File.WriteAllText(_local, "the user's own file");
        Assert.Contains("is an existing file", OutputError(Experiment($"report: {{ output: {_local} }}")).Message);
        Assert.Equal("the user's own file", File.ReadAllText(_local));
    }

    [Fact]
    public void A_folder_runner_did_not_write_is_refused_and_one_it_wrote_is_accepted()
    {
        Directory.CreateDirectory(_local);
        File.WriteAllText(Path.Combine(_local, "README.md"), "the repository's README");
        Assert.Contains("a folder runner did not write", OutputError(Experiment($"report: {{ output: {_local} }}")).Message);

        File.Delete(Path.Combine(_local, "README.md"));
        ReportFolder.Claim(_local, "exp"); // what the report task does before it copies its files
        Assert.Equal("exp", File.ReadAllText(Path.Combine(_local, ReportFolder.MarkerFile)).Trim());
        File.WriteAllText(Path.Combine(_local, "README.md"), "a report");
        Yaml.Parse(Experiment($"report: {{ output: {_local} }}"));

        var other = OutputError(Experiment($"report: {{ output: {_local} }}").Replace("name: exp", "name: other"));
        Assert.Contains("holds the report of experiment 'exp'", other.Message);
        Assert.Throws<InvalidInputException>(() => ReportFolder.Claim(_local, "other"));
    }

    [Fact]
    public void A_symbolic_link_out_of_the_working_tree_does_not_let_the_report_escape()
    {
        File.CreateSymbolicLink(_local + "-link", _dir.Path);
        Assert.Contains("outside the working directory", OutputError(Experiment($"report: {{ output: {_local}-link/r }}")).Message);
    }

    [Fact]
    public void The_default_output_is_checked_too_and_reported_at_the_name()
    {
        Directory.CreateDirectory(Path.Combine("reports", _local));
        try
        {
            File.WriteAllText(Path.Combine("reports", _local, "notes.txt"), "x");
            var error = OutputError(Yaml.Basic(_dir.Sub("data")).Replace("name: exp", $"name: {_local}"));
            Assert.Equal(1, error.Line);
            Assert.StartsWith($"report.output (default reports/{_local})", error.Message);
        }
        finally
        {
            Directory.Delete(Path.Combine("reports", _local), recursive: true);
        }
    }

    [Fact]
    public void A_new_or_empty_folder_inside_the_tree_is_fine()
    {
        Yaml.Parse(Experiment($"report: {{ output: {_local}/new/deeper }}"));
        Directory.CreateDirectory(_local);
        Yaml.Parse(Experiment($"report: {{ output: {_local} }}"));
    }
}
