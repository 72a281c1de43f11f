namespace Runner.Core.Config;

public sealed record ReportSpec(string Template, string Output);
