using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Runner.Core.Config;
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

    public static ReportTemplates Load(ReportSpec report)
    {
        var sources = report.Template == Default ? Embedded() : FromFolder(report.Template);
        var errors = new List<ConfigError>();
        var templates = new SortedDictionary<string, Template>(StringComparer.Ordinal);
        var digest = new StringBuilder();
        foreach (var (file, text) in sources.OrderBy(s => s.File, StringComparer.Ordinal))
        {
            var template = Template.Parse(text, file);
            errors.AddRange(template.Messages.Select(m =>
                new ConfigError(file, m.Span.Start.Line + 1, m.Span.Start.Column + 1, m.Message)));
            templates[Path.GetFileNameWithoutExtension(file)] = template;
            digest.Append(Path.GetFileName(file)).Append('\0').Append(text).Append('\0');
        }
        if (errors.Count > 0) throw new ConfigException(errors);
        return new ReportTemplates(templates, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(digest.ToString()))));
    }

    private static List<(string File, string Text)> FromFolder(string dir)
    {
        if (!Directory.Exists(dir))
            throw new ConfigException([new ConfigError(dir, 0, 0, "report.template: no such template folder (use 'default' or a folder of *.sbn files)")]);
        var files = Directory.GetFiles(dir, "*.sbn").Select(f => (f, File.ReadAllText(f))).ToList();
        if (files.Count == 0) throw new ConfigException([new ConfigError(dir, 0, 0, "report.template: the folder has no *.sbn templates")]);
        return files;
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
