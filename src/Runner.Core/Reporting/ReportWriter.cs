using System.Text.Json;
using Runner.Core.Execution;
using Runner.Core.Reporting.Columns;
using Runner.Core.Reporting.Plots;
using Runner.Core.Results;
using Runner.Core.Util;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Runner.Core.Reporting;

/// <summary>Writes a report folder: results.json, results.csv, the plots and every rendered template.</summary>
internal static class ReportWriter
{
    /// <summary>The plots' file names, kept in the report task's cache entry so that the report can be rendered from it.</summary>
    public const string PlotsFile = "plots.json";

    public const string NoPrevious = "No previous results.json in the report folder to compare with.";

    /// <summary>Everything in one folder: <see cref="WriteResults"/> then <see cref="WriteRendered"/>.</summary>
    /// <param name="previousFolder">Where the previous results.json lies (the report's output folder), for the diff.</param>
    public static ReportModel Write(ReportTemplates templates, ExperimentResults results, string folder, string? previousFolder)
    {
        var (previous, note) = ReadPrevious(previousFolder);
        var plots = WriteResults(results, folder);
        return WriteRendered(templates, results, plots, folder, previous, note);
    }

    /// <summary>What the report task caches: results.json, results.csv, the plots and <see cref="PlotsFile"/>.</summary>
    public static ReportPlots WriteResults(ExperimentResults results, string folder)
    {
        Json.Write(Path.Combine(folder, ExperimentResults.FileName), results);
        ResultsCsv.Write(Path.Combine(folder, ResultsCsv.FileName), results);
        var plots = ReportPlots.Render(results, folder);
        Json.Write(Path.Combine(folder, PlotsFile), plots);
        return plots;
    }

    /// <summary>Renders every template into <paramref name="folder"/>, with the diff against <paramref name="previous"/> (or <paramref name="note"/> saying why there is none).</summary>
    public static ReportModel WriteRendered(ReportTemplates templates, ExperimentResults results, ReportPlots plots, string folder,
        ExperimentResults? previous, string? note, CancellationToken cancel = default)
    {
        var model = ReportModel.From(results, plots) with
        {
            Diff = previous is null ? null : ResultsDiff.Compare(previous, results),
            DiffNote = previous is null ? note : null,
        };
        foreach (var (file, text) in Render(templates, model, cancel))
            AtomicFile.WriteAllText(Path.Combine(folder, file), text);
        return model;
    }

    /// <summary>
    /// Renders every template within its <see cref="RenderLimits"/>; a template that fails at run time, runs too long or
    /// writes too much is invalid input naming its file (and line and column). <paramref name="cancel"/> (Ctrl-C) stops it.
    /// </summary>
    public static IEnumerable<(string File, string Text)> Render(ReportTemplates templates, ReportModel model, CancellationToken cancel = default)
    {
        var globals = new ScriptObject();
        globals.Import(model, renamer: StandardMemberRenamer.Default);
        globals["rows"] = RowObject.All(model.Rows);
        globals["timed_rows"] = RowObject.All(model.TimedRows);
        // `table rows ["weights", "epoch_seconds"]`: those columns of those rows, as text, the best in bold (ReportColumns).
        globals.Import("table", new Func<ScriptArray, ScriptArray, ColumnTable>((rows, names) =>
            model.Table(rows.Cast<RowObject>().Select(r => r.Row).ToList(), names.Select(n => n?.ToString() ?? ""))));
        globals.Import("mark", new Func<string, bool, string>((text, best) => best ? $"**{text}**" : text));
        // `value | opt "0.00"`: the number formatted, or "–" where results.json has none (older entries, single-class AUC).
        globals.Import("opt", new Func<object?, string, string>((value, format) => value switch
        {
            null => "–",
            double d when !double.IsFinite(d) => "–",
            IFormattable f => f.ToString(format, System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "–",
        }));
        // `change | signed "0.0000"`: "+0.0123" or "−0.0123".
        globals.Import("signed", new Func<double, string, string>((value, format) =>
            (value >= 0 ? "+" : "−") + Math.Abs(value).ToString(format, System.Globalization.CultureInfo.InvariantCulture)));
        var limits = templates.Limits;
        foreach (var (file, template) in templates.Templates)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            deadline.CancelAfter(limits.Time);
            var context = new TemplateContext
            {
                MemberRenamer = StandardMemberRenamer.Default, LoopLimit = 100_000, StrictVariables = true, EnableRelaxedMemberAccess = false,
                CancellationToken = deadline.Token, // checked at every statement and loop step
                OutputLimit = limits.OutputChars, OnOutputLimit = ScriptLimitBehavior.Throw,
                LimitToString = limits.OutputChars, OnStringLimit = ScriptLimitBehavior.Throw,
            };
            context.PushGlobal(globals);
            string text;
            try
            {
                text = template.Render(context);
            }
            catch (ScriptAbortException) when (cancel.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancel);
            }
            catch (ScriptAbortException e)
            {
                throw new InvalidInputException($"{e.Span.FileName}: rendering took more than {limits.Time.TotalSeconds:0.#} s, the most a " +
                    "template may take (is there a loop or a function that calls itself more than once per call?)", e);
            }
            catch (ScriptRuntimeException e)
            {
                throw new InvalidInputException($"{e.Span.FileName}:{e.Span.Start.Line + 1}:{e.Span.Start.Column + 1}: {e.OriginalMessage}", e);
            }
            yield return (file, text);
        }
    }

    /// <summary>A row as templates see it: the <see cref="ReportRow"/>'s fields and every column's value by its name.</summary>
    private sealed class RowObject : ScriptObject
    {
        private RowObject(ReportRow row)
        {
            Row = row;
            this.Import(row, renamer: StandardMemberRenamer.Default);
            foreach (var column in ReportColumns.All) this[column.Name] = column.Value(row);
        }

        public ReportRow Row { get; }

        public static ScriptArray All(IEnumerable<ReportRow> rows) => new(rows.Select(r => new RowObject(r)));
    }

    /// <summary>The results.json in <paramref name="folder"/>, or null and why there is none to compare with.</summary>
    public static (ExperimentResults? Previous, string? Note) ReadPrevious(string? folder)
    {
        var path = folder is null ? null : Path.Combine(folder, ExperimentResults.FileName);
        if (path is null || !File.Exists(path)) return (null, NoPrevious);
        try
        {
            return (Json.Read<ExperimentResults>(path), null);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or NotSupportedException)
        {
            return (null, $"The previous results.json could not be read ({e.Message.Split('\n')[0]}), so nothing is compared.");
        }
    }
}
