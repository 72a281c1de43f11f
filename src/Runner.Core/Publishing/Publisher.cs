using Octokit;
using Serilog;

namespace Runner.Core.Publishing;

/// <summary>
/// Commits a report folder to a branch as one commit through the Git Data API: ref → base commit and tree → blobs
/// (small text inline) → report subtree → root tree on the base → commit → fast-forward the ref (never forced).
/// The report folder is replaced as a whole, so files gone from it disappear from the branch too.
/// </summary>
internal sealed class Publisher(IGitHubClient github, PublishTarget target, ILogger log)
{
    /// <summary>Tries when the branch moves between reading it and updating it (422 "not a fast forward").</summary>
    public int MaxAttempts { get; init; } = 3;

    private IGitDatabaseClient Git => github.Git;
    private string BranchRef => $"heads/{target.Branch}";

    public async Task<PublishResult> CommitAsync(ReportSnapshot report, string message)
    {
        var uploaded = new Dictionary<string, string>(); // content id → blob sha, kept across attempts
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var head = (await Git.Reference.Get(target.Owner, target.Name, BranchRef)).Object.Sha;
            var baseTree = (await Git.Commit.Get(target.Owner, target.Name, head)).Tree.Sha;
            var existing = await FilesAt(baseTree, report.Folder);
            log.Information("publish: {Branch} is at {Head}; {Existing} report files there", target.Branch, head, existing?.Count);
            var (added, changed, removed) = Difference(existing, report.Files);
            if (existing is not null && added + changed + removed == 0) return new PublishResult(null, 0, 0, 0, attempt);

            var leaf = new NewTree();
            foreach (var file in report.Files)
                leaf.Tree.Add(await Entry(file, existing, uploaded));
            var leafTree = await Git.Tree.Create(target.Owner, target.Name, leaf);
            var root = new NewTree { BaseTree = baseTree };
            root.Tree.Add(new NewTreeItem { Path = report.Folder, Mode = Octokit.FileMode.Subdirectory, Type = TreeType.Tree, Sha = leafTree.Sha });
            var rootTree = await Git.Tree.Create(target.Owner, target.Name, root);
            if (rootTree.Sha == baseTree) return new PublishResult(null, 0, 0, 0, attempt);

            var commit = await Git.Commit.Create(target.Owner, target.Name, new NewCommit(message, rootTree.Sha, head));
            try
            {
                await Git.Reference.Update(target.Owner, target.Name, BranchRef, new ReferenceUpdate(commit.Sha, force: false));
                log.Information("publish: {Branch} moved {Head} → {Commit}", target.Branch, head, commit.Sha);
                return new PublishResult(commit.Sha, added, changed, removed, attempt);
            }
            catch (ApiValidationException e) when (e.Message.Contains("fast forward", StringComparison.OrdinalIgnoreCase))
            {
                log.Warning("publish: {Branch} moved past {Head} meanwhile (attempt {Attempt} of {Max}); rebuilding on the new head",
                    target.Branch, head, attempt, MaxAttempts);
            }
        }
        throw PublishException.Failure(
            $"{target.Repository} branch '{target.Branch}' moved during each of {MaxAttempts} attempts (not a fast forward); nothing was published — run publish again");
    }

    private async Task<NewTreeItem> Entry(ReportFile file, IReadOnlyDictionary<string, string>? existing, Dictionary<string, string> uploaded)
    {
        var item = new NewTreeItem { Path = file.Path, Mode = Octokit.FileMode.File, Type = TreeType.Blob };
        if (existing?.GetValueOrDefault(file.Path) == file.GitSha) item.Sha = file.GitSha;
        else if (file.InlineText is { } text) item.Content = text;
        else item.Sha = uploaded.TryGetValue(file.GitSha, out var sha) ? sha : uploaded[file.GitSha] = await UploadBlob(file);
        return item;
    }

    private async Task<string> UploadBlob(ReportFile file)
    {
        var blob = await Git.Blob.Create(target.Owner, target.Name, new NewBlob { Content = Convert.ToBase64String(file.Bytes), Encoding = EncodingType.Base64 });
        log.Debug("publish: uploaded {Path} ({Bytes} bytes) as blob {Sha}", file.Path, file.Bytes.Length, blob.Sha);
        return blob.Sha;
    }

    /// <summary>Files under <paramref name="folder"/> in a tree (path → blob sha); empty when absent, null when GitHub truncated the listing.</summary>
    private async Task<IReadOnlyDictionary<string, string>?> FilesAt(string treeSha, string folder)
    {
        foreach (var part in folder.Split('/'))
        {
            var tree = await Git.Tree.Get(target.Owner, target.Name, treeSha);
            var sub = tree.Tree.FirstOrDefault(e => e.Path == part && e.Type.Value == TreeType.Tree);
            if (sub is null) return new Dictionary<string, string>();
            treeSha = sub.Sha;
        }
        var listing = await Git.Tree.GetRecursive(target.Owner, target.Name, treeSha);
        return listing.Truncated ? null : listing.Tree.Where(e => e.Type.Value == TreeType.Blob).ToDictionary(e => e.Path, e => e.Sha);
    }

    private static (int Added, int Changed, int Removed) Difference(IReadOnlyDictionary<string, string>? existing, IReadOnlyList<ReportFile> files)
    {
        if (existing is null) return (files.Count, 0, 0);
        var added = files.Count(f => !existing.ContainsKey(f.Path));
        var changed = files.Count(f => existing.TryGetValue(f.Path, out var sha) && sha != f.GitSha);
        var removed = existing.Keys.Count(p => files.All(f => f.Path != p));
        return (added, changed, removed);
    }
}
