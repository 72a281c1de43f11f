namespace Runner.Core.Results;

internal sealed record BackboneResult(
    string Name, string Arch, string Weights, int ImageSize, int BatchSize, long Params, double Gmacs, long CheckpointBytes,
    TrainSummary Train, EvalResult Metrics, TimingSummary Timing)
{
    /// <summary>Set when matrix or repeats made this backbone a variant.</summary>
    public VariantResult? Variant { get; init; }
    /// <summary>Paired bootstrap of the test log loss against the best backbone or ensemble; null for the best itself.</summary>
    public Evaluation.BootstrapResult? Bootstrap { get; init; }
    /// <summary>How it trained and was timed (<c>precision</c>, <c>channels_last</c>).</summary>
    public string Precision { get; init; } = Config.Precisions.Default;
    public bool ChannelsLast { get; init; }
}
