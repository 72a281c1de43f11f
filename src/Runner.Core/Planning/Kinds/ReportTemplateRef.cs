namespace Runner.Core.Planning.Kinds;

public sealed record ReportTemplateRef(string Name, string Digest);
