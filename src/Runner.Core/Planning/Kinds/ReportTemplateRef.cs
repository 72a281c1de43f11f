namespace Runner.Core.Planning.Kinds;

internal sealed record ReportTemplateRef(string Name, string Digest);
