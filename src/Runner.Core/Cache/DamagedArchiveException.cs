namespace Runner.Core.Cache;

/// <summary>An archive that fails its checks; nothing of it was imported.</summary>
public sealed class DamagedArchiveException(string archive, IReadOnlyList<string> problems)
    : Exception($"{archive}: damaged archive, nothing imported: {string.Join("; ", problems.Take(20))}{(problems.Count > 20 ? $" (and {problems.Count - 20} more)" : "")}");
