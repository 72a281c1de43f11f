namespace Runner.Core.Results;

/// <summary>
/// <c>repeats</c> in results.json: n seeds; the test log loss, test accuracy and seconds per epoch (each variant's median
/// epoch) as mean, sample std and 95 % Student t-interval of the mean over the seeds.
/// </summary>
internal sealed record RepeatStats(int N, IReadOnlyList<int> Seeds, RepeatTest Test, Evaluation.SeedInterval SecondsPerEpoch);
