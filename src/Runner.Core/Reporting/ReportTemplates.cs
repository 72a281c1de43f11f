using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Runner.Core.Config;
using Runner.Core.Util;
using Scriban;

namespace Runner.Core.Reporting;

/// <summary>
/// The report's Scriban templates: the built-in set (reports/templates/default, embedded in the assembly)
/// or a folder named by <c>report.template</c>. Each <c>NAME.sbn</c> renders to <c>NAME</c>.
/// </summary>
public sealed class ReportTemplates
{
    public const string Default = "default";
    private const string ResourcePrefix = "templates/default/";

    private ReportTemplates(IReadOnlyDictionary<string, Template> templates, string digest)
    {
        Templates = templates;
        Digest = digest;
    }

    /// <summary>Output file name → parsed template.</summary>
    public IReadOnlyDictionary<string, Template> Templates { get; }

    /// <summary>SHA-256 over every template's name and text: part of the report task's key.</summary>
    public string Digest { get; }

    /// <summary>The time and output each template may take when rendered.</summary>
    internal RenderLimits Limits { get; set; } = RenderLimits.Default;

    /// <summary>A template file larger than this is refused unread (the default README template is 10 KiB).</summary>
    public const long MaxTemplateBytes = 1024 * 1024;

    /// <summary>Files the report folder gets from runner itself, which no template may overwrite.</summary>
    private static readonly string[] Reserved =
        [ReportFolder.MarkerFile, Results.ExperimentResults.FileName, ResultsCsv.FileName, ReportWriter.PlotsFile];

    /// <param name="experimentFile">The YAML file: a <c>report.template</c> folder is relative to its directory.</param>
    public static ReportTemplates Load(ReportSpec report, string? experimentFile = null)
    {
        var sources = report.Template == Default ? Embedded() : FromFolder(Resolve(report.Template, experimentFile), experimentFile);
        var errors = new List<ConfigError>();
        var templates = new SortedDictionary<string, Template>(StringComparer.Ordinal);
        var digest = new StringBuilder();
        foreach (var (file, text) in sources.OrderBy(s => s.File, StringComparer.Ordinal))
        {
            if (OutputProblem(Path.GetFileNameWithoutExtension(file)) is { } problem)
            {
                errors.Add(new ConfigError(file, 0, 0, $"report.template: {problem}"));
                continue;
            }
            var template = Template.Parse(text, file);
            errors.AddRange(template.Messages.Select(m =>
                new ConfigError(file, m.Span.Start.Line + 1, m.Span.Start.Column + 1, m.Message)));
            templates[Path.GetFileNameWithoutExtension(file)] = template;
            digest.Append(Path.GetFileName(file)).Append('\0').Append(text).Append('\0');
        }
        if (errors.Count > 0) throw new ConfigException(errors);
        return new ReportTemplates(templates, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(digest.ToString()))));
    }

    /// <summary>Why a template may not render to <paramref name="output"/> (its file name less <c>.sbn</c>), or null.</summary>
    private static string? OutputProblem(string output) =>
        output.Length == 0 || output is "." or ".." || output.Any(char.IsControl)
            ? $"'{output}.sbn' would render to no usable file name; name templates after the file they write (README.md.sbn)"
            : Reserved.Contains(output, StringComparer.OrdinalIgnoreCase)
                ? $"'{output}.sbn' would overwrite {output}, which runner writes itself; give the template another name"
                : null;

    private static string Resolve(string template, string? experimentFile) =>
        experimentFile is null || Path.IsPathRooted(template)
            ? template
            : Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(experimentFile))!, template));

    private static List<(string File, string Text)> FromFolder(string dir, string? experimentFile)
    {
        var where = experimentFile ?? dir;
        if (!Directory.Exists(dir))
            throw new ConfigException([new ConfigError(where, 0, 0, $"report.template: no such template folder '{dir}' (use 'default' or a folder of *.sbn files, relative to the experiment file)")]);
        var files = Directory.GetFiles(dir, "*.sbn").Order(StringComparer.Ordinal).Select(f => (f, ReadTemplate(f, where))).ToList();
        if (files.Count == 0) throw new ConfigException([new ConfigError(where, 0, 0, $"report.template: '{dir}' has no *.sbn templates")]);
        return files;
    }

    /// <summary>
    /// A template file's text: a regular file of at most <see cref="MaxTemplateBytes"/> (not a FIFO or a device, which could
    /// block or never end).
    /// </summary>
    private static string ReadTemplate(string file, string where)
    {
        var info = new FileInfo(file);
        var problem = RegularFile.Problem(file, emptyIsFine: true)
            ?? (info.Length > MaxTemplateBytes ? $"is {info.Length:N0} bytes; a template may have at most {MaxTemplateBytes:N0}" : null);
        if (problem is not null) throw new ConfigException([new ConfigError(where, 0, 0, $"report.template: {file} {problem}")]);
        return File.ReadAllText(file);
    }

    private static List<(string File, string Text)> Embedded()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return ($"reports/templates/default/{n[ResourcePrefix.Length..]}", reader.ReadToEnd());
            }).ToList();
    }
}
