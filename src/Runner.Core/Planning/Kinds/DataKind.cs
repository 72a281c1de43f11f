using Runner.Core.Config;
using Runner.Core.Execution;

namespace Runner.Core.Planning.Kinds;

/// <summary>
/// <c>data</c>'s parameters: the dataset section (its folders are not part of the key: <see cref="DatasetSpec.Path"/>
/// and <see cref="DatasetSpec.Predict"/> are ignored there, so the same bytes under ./data, <c>$RUNNER_DATA</c> or
/// another checkout give the same key) and the digest of its files' names and contents.
/// </summary>
public sealed record DataParams(DatasetSpec Dataset, DataFiles Files);

/// <param name="Fingerprint">How the digest was made; entries from before content addressing say "size+mtime".</param>
public sealed record DataFiles(int Count, string Digest, string Fingerprint = "sha256");

/// <summary>The <c>data</c> task (executor: <see cref="Data.DataExecutor"/>).</summary>
public sealed class DataKind : IExperimentTaskKind
{
    public const string Name = "data";
    public static readonly TaskId Id = new(Name);

    string ITaskKind.Name => Name;
    public ResourceClass Resource => ResourceClass.Cpu;

    public void Plan(PlanContext plan) =>
        plan.Add(this, null, new DataParams(plan.Spec.Dataset, new DataFiles(plan.Inputs.DatasetFiles, plan.Inputs.DatasetDigest)));
}
