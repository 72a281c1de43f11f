using Runner.Core.Config;
using Runner.Core.Execution;
using Runner.Core.Reporting;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Reporting;

/// <summary><c>report.template</c>: a folder of Scriban templates next to the experiment file, and how their mistakes are reported.</summary>
public sealed class TemplateTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private ReportTemplates Load(string template)
    {
        _dir.File("experiments/my-templates/summary.md.sbn", template);
        return ReportTemplates.Load(new ReportSpec("my-templates", "out"), Path.Combine(_dir.Path, "experiments", "exp.yaml"));
    }

    [Fact]
    public void A_template_folder_is_found_relative_to_the_experiment_file_and_renders_each_file()
    {
        var templates = Load("{{ results.experiment }}: {{ rows.size }} backbones, {{ ensembles.size }} ensembles, best {{ best.overall_test_log_loss }}");

        var (file, text) = Assert.Single(ReportWriter.Render(templates, ReportModel.From(ReportFixture.Current)));

        Assert.Equal("summary.md", file);
        Assert.Equal("quickstart: 3 backbones, 2 ensembles, best classic", text);
    }

    [Fact]
    public void A_misspelt_field_fails_at_render_time_naming_the_template_line_and_column()
    {
        var templates = Load("# Report\n\n{{ for row in rows }}{{ row.nme }}{{ end }}");

        var e = Assert.Throws<InvalidInputException>(() => ReportWriter.Render(templates, ReportModel.From(ReportFixture.Current)).ToList());

        Assert.Matches(@"experiments/my-templates/summary\.md\.sbn:3:2\d: .*nme", e.Message);
    }

    [Fact]
    public void A_missing_template_folder_names_the_experiment_file()
    {
        var e = Assert.Throws<ConfigException>(() => ReportTemplates.Load(new ReportSpec("nowhere", "out"), Path.Combine(_dir.Path, "exp.yaml")));

        Assert.Contains("exp.yaml: report.template: no such template folder", e.Message);
    }

    [Fact]
    public void A_template_syntax_error_makes_the_runner_exit_2_with_file_line_and_column_before_anything_runs()
    {
        using var experiment = new TinyExperiment(imagesPerClass: 2);
        File.AppendAllText(experiment.Yaml, "\nreport: { template: templates }\n");
        Directory.CreateDirectory(Path.Combine(experiment.Root, "templates"));
        File.WriteAllText(Path.Combine(experiment.Root, "templates", "README.md.sbn"), "# {{ results.experiment }}\n\n{{ for row in rows }}\n");

        var report = experiment.Runner("report", "tiny.yaml");

        Assert.True(report.ExitCode == 2, $"exit {report.ExitCode}\n{report.Output}\n{report.Error}");
        Assert.Matches(@"templates/README\.md\.sbn:3:\d+: .*end", report.Error);
        Assert.False(Directory.Exists(Path.Combine(experiment.Root, ".runner", "cache")));
    }
    private const string Exponential = "{{ func f(n); if n > 0; f(n - 1); f(n - 1); end; end; f 40 }}";

    [Fact]
    public async Task A_template_that_would_run_for_ages_fails_at_its_time_limit_naming_it()
    {
        var templates = Load(Exponential); // 2^40 calls, each within Scriban's recursion and loop limits
        templates.Limits = templates.Limits with { Time = TimeSpan.FromMilliseconds(300) };

        var render = Task.Run(() => ReportWriter.Render(templates, ReportModel.From(ReportFixture.Current)).ToList());

        Assert.True(await Task.WhenAny(render, Task.Delay(TimeSpan.FromSeconds(30))) == render, "rendering did not stop");
        var e = Assert.IsType<InvalidInputException>(render.Exception!.InnerException);
        Assert.Matches(@"experiments/my-templates/summary\.md\.sbn: rendering took more than 0\.3 s, the most a template may take", e.Message);
    }

    [Fact]
    public async Task Ctrl_c_stops_a_template_that_is_rendering()
    {
        var templates = Load(Exponential);
        using var interrupt = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var render = Task.Run(() => ReportWriter.Render(templates, ReportModel.From(ReportFixture.Current), interrupt.Token).ToList());

        Assert.True(await Task.WhenAny(render, Task.Delay(TimeSpan.FromSeconds(30))) == render, "rendering did not stop");
        Assert.IsType<OperationCanceledException>(render.Exception!.InnerException);
    }

    [Fact]
    public void Output_is_never_cut_silently_it_is_whole_or_refused_at_its_limit()
    {
        var templates = Load("{{ for i in 1..40000 }}" + new string('x', 49) + "\n{{ end }}"); // 2 MB, twice Scriban's default cut

        var (_, text) = Assert.Single(ReportWriter.Render(templates, ReportModel.From(ReportFixture.Current)));
        Assert.Equal(2_000_000, text.Length);

        templates.Limits = templates.Limits with { OutputChars = 100_000 };
        var e = Assert.Throws<InvalidInputException>(() => ReportWriter.Render(templates, ReportModel.From(ReportFixture.Current)).ToList());
        Assert.Contains("summary.md.sbn", e.Message);
    }

    [Theory]
    [InlineData("..sbn", "would render to no usable file name")]
    [InlineData(".runner-report.sbn", "would overwrite .runner-report, which runner writes itself")]
    [InlineData("results.json.sbn", "would overwrite results.json, which runner writes itself")]
    public void Templates_that_would_write_outside_the_report_or_over_runners_own_files_are_refused(string name, string problem)
    {
        _dir.File($"experiments/my-templates/{name}", "x");

        var e = Assert.Throws<ConfigException>(() =>
            ReportTemplates.Load(new ReportSpec("my-templates", "out"), Path.Combine(_dir.Path, "experiments", "exp.yaml")));

        Assert.Contains($"{name}: report.template: '{name}' {problem}", e.Message);
    }
}
