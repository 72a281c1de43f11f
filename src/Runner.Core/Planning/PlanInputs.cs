using System.Text.Json.Nodes;

namespace Runner.Core.Planning;

/// <summary>What the planner needs from outside the YAML, gathered before planning so planning stays pure.</summary>
public sealed record PlanInputs(
    /// <summary>Digest of the dataset's file list (names, sizes, modification times) and its file count.</summary>
    string DatasetDigest,
    int DatasetFiles,
    /// <summary>Device, driver, libtorch and thread count: part of timing keys only.</summary>
    JsonObject Hardware,
    /// <summary>Digest of the report templates.</summary>
    string TemplateDigest)
{
    /// <summary>SHA-256 of each backbone's pretrained weights, by backbone name; absent means none.</summary>
    public IReadOnlyDictionary<string, string> WeightsDigests { get; init; } = new Dictionary<string, string>();
}
