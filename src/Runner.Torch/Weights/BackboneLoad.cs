namespace Runner.Torch.Weights;

/// <summary>What <see cref="WeightsStore.LoadBackbone"/> copied: every non-head tensor; the head keys left fresh.</summary>
public sealed record BackboneLoad(WeightsEntry Entry, int Loaded, IReadOnlyList<string> SkippedHeadKeys);
