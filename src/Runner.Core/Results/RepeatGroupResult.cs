namespace Runner.Core.Results;

/// <summary>A configuration repeated over seeds: its variants (one per seed) and the t-intervals over them.</summary>
internal sealed record RepeatGroupResult(string Name, string Base, IReadOnlyDictionary<string, object> Swept, IReadOnlyList<string> Variants, RepeatStats Repeats);
