namespace Runner.Torch.Weights;

/// <summary>The outcome of an import into the store: the entry written and what the import noticed.</summary>
public sealed record StoredWeights(WeightsEntry Entry, IReadOnlyList<string> Notes);
