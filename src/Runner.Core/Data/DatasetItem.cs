namespace Runner.Core.Data;

/// <summary>One labelled example. <see cref="Index"/> is set for images inside an idx file.</summary>
public sealed record DatasetItem(string Id, string File, int Label, string Split = "", int? Index = null);
