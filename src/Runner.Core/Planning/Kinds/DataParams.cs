using Runner.Core.Config;

namespace Runner.Core.Planning.Kinds;

/// <summary>
/// <c>data</c>'s parameters: the dataset section (its folders are not part of the key: <see cref="DatasetSpec.Path"/>
/// and <see cref="DatasetSpec.Predict"/> are ignored there, so the same bytes under ./data, <c>$RUNNER_DATA</c> or
/// another checkout give the same key) and the digest of its files' names and contents.
/// </summary>
internal sealed record DataParams(DatasetSpec Dataset, DataFiles Files);
