namespace Runner.Core.Planning.Kinds;

/// <param name="Hidden">The stacking MLP's hidden sizes; null for other methods.</param>
internal sealed record ReportEnsemble(string Name, string Method, IReadOnlyList<string> Members, string Inputs, IReadOnlyList<int>? Hidden);
