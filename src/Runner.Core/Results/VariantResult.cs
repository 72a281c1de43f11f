namespace Runner.Core.Results;

/// <summary>Which entry of <c>backbones</c> a variant came from: base name, repeat group, seed (when repeated) and swept values.</summary>
internal sealed record VariantResult(string Base, string Group, int? Seed, IReadOnlyDictionary<string, object> Swept);
