namespace Runner.Core.Publishing;

/// <summary>What a publish did: the new commit, or nothing when the branch already held these report files.</summary>
internal sealed record PublishResult(string? CommitSha, int Added, int Changed, int Removed, int Attempts)
{
    public bool Committed => CommitSha is not null;
}
