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
}
