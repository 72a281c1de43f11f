namespace Runner.Core.Publishing;

/// <summary>Where <c>runner publish</c> commits: repository, branch and API, from options, the Actions environment or the checkout.</summary>
internal sealed record PublishTarget(string Owner, string Name, string Branch, Uri ApiUrl, string ServerUrl)
{
    public string Repository => $"{Owner}/{Name}";

    /// <param name="repo"><c>--repo OWNER/NAME</c>, else <c>GITHUB_REPOSITORY</c>.</param>
    /// <param name="branch"><c>--branch</c>, else the branch Actions checked out, else the checkout's current branch.</param>
    public static PublishTarget Resolve(string? repo, string? branch, Func<string, string?> environment)
    {
        repo ??= Env(environment, "GITHUB_REPOSITORY")
            ?? throw PublishException.Usage("no repository: pass --repo OWNER/NAME or set GITHUB_REPOSITORY");
        var parts = repo.Split('/');
        if (parts.Length != 2 || parts.Any(p => p.Length == 0 || p.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))))
            throw PublishException.Usage($"repository '{repo}' is not OWNER/NAME");
        // On pull_request events GITHUB_REF_NAME is '<n>/merge'; the branch to commit to is the head.
        branch ??= Env(environment, "GITHUB_HEAD_REF") ?? Env(environment, "GITHUB_REF_NAME") ?? LocalGit.CurrentBranch()
            ?? throw PublishException.Usage("no branch: pass --branch, or run on a checked-out branch");
        if (BranchProblem(branch) is { } problem) throw PublishException.Usage($"branch '{branch}' {problem}");
        var api = Env(environment, "GITHUB_API_URL") ?? "https://api.github.com";
        if (!Uri.TryCreate(api, UriKind.Absolute, out var apiUrl))
            throw PublishException.Usage($"GITHUB_API_URL '{api}' is not an absolute URL");
        if (apiUrl.Scheme != Uri.UriSchemeHttps && !(apiUrl.Scheme == Uri.UriSchemeHttp && apiUrl.IsLoopback))
            throw PublishException.Usage($"GITHUB_API_URL '{api}' is not https: the token would cross the network in clear " +
                "(http is accepted on this machine's loopback only)");
        return new PublishTarget(parts[0], parts[1], branch, apiUrl, Env(environment, "GITHUB_SERVER_URL") ?? "https://github.com");
    }

    /// <summary>
    /// Why <paramref name="branch"/> is not a branch name git would accept (git check-ref-format), or null. A name with
    /// '..' (<c>../tags/v1</c>) would make <c>heads/NAME</c> name another ref, such as a tag.
    /// </summary>
    public static string? BranchProblem(string branch)
    {
        if (branch.Any(c => char.IsControl(c) || c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\'))
            return "has a space, a control character or one of ~ ^ : ? * [ \\, which git does not allow in a branch name";
        if (branch.Contains("..", StringComparison.Ordinal) || branch.Contains("@{", StringComparison.Ordinal) || branch == "@")
            return "has '..' or '@{' (or is '@'), which git does not allow in a branch name";
        if (branch.Split('/').Any(part => part.Length == 0 || part.StartsWith('.') || part.EndsWith(".lock", StringComparison.Ordinal)))
            return "has an empty part, a part starting with '.' or ending with '.lock', which git does not allow in a branch name";
        return branch.EndsWith('.') || branch.StartsWith('-') ? "starts with '-' or ends with '.', which git does not allow in a branch name" : null;
    }

    private static string? Env(Func<string, string?> environment, string name) =>
        environment(name) is { Length: > 0 } value ? value : null;
}
