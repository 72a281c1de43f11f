using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Runner.Tests.Fixtures;

/// <summary>
/// The GitHub REST endpoints <c>runner publish</c> uses, on 127.0.0.1, backed by a real bare git repository.
/// Response bodies follow the shapes of the recorded exchanges in npm <c>@octokit/fixtures</c> (git-refs, create-file,
/// errors); the URLs are GitHub Enterprise's (<c>/api/v3/</c>), which is where Octokit sends any host but github.com.
/// </summary>
public sealed class FakeGitHub : IAsyncDisposable
{
    public const string Owner = "octo-org";
    public const string Name = "experiments";
    public const string Token = "ghp_TESTTOKEN0123456789abcdefABCDEF0123";

    private readonly WebApplication _app;
    private long _nextId = 1000;

    public BareRepository Repo { get; } = new();
    /// <summary>"METHOD path" of every request, in order.</summary>
    public List<string> Requests { get; } = [];
    /// <summary>Commit and issue comments; <c>On</c> is <c>commits/SHA</c> or <c>issues/NUMBER</c>.</summary>
    public List<(long Id, string On, string Body)> Comments { get; } = [];
    /// <summary>Open pull requests: number → head branch.</summary>
    public Dictionary<int, string> PullRequests { get; } = [];
    /// <summary>Runs before each ref update is applied, e.g. to move the branch as a concurrent push would.</summary>
    public Action<string>? BeforeRefUpdate { get; set; }
    /// <summary>Answers for the next requests, in order, given before any handler runs: rate limits, 5xx, a proxy's HTML page.</summary>
    public Queue<CannedReply> Canned { get; } = new();
    /// <summary>Answer every request with 401; the message echoes the Authorization header, as a careless proxy might.</summary>
    public bool RejectToken { get; set; }

    public FakeGitHub()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Use(Gate);
        var repo = _app.MapGroup($"/api/v3/repos/{Owner}/{Name}");
        repo.MapGet("/git/refs/{**name}", (string name) => Repo.Head(Branch(name)) is { } sha ? Json(200, RefJson(name, sha)) : NotFound());
        repo.MapPatch("/git/refs/{**name}", UpdateRef);
        repo.MapGet("/git/commits/{sha}", (string sha) => Json(200, CommitJson(sha)));
        repo.MapPost("/git/commits", CreateCommit);
        repo.MapGet("/git/trees/{sha}", (string sha, string? recursive) => Json(200, TreeJson(sha, recursive == "1")));
        repo.MapPost("/git/trees", CreateTree);
        repo.MapPost("/git/blobs", CreateBlob);
        repo.MapGet("/commits/{sha}/comments", (string sha) => ListComments($"commits/{sha}"));
        repo.MapPost("/commits/{sha}/comments", (string sha, HttpRequest r) => AddComment($"commits/{sha}", r));
        repo.MapPatch("/comments/{id:long}", EditComment);
        repo.MapGet("/pulls", (string? head) => Json(200, new JsonArray([.. PullRequests.Where(p => head == $"{Owner}:{p.Value}").Select(p => PullJson(p.Key, p.Value))])));
        repo.MapGet("/issues/{number:int}/comments", (int number) => ListComments($"issues/{number}"));
        repo.MapPost("/issues/{number:int}/comments", (int number, HttpRequest r) => AddComment($"issues/{number}", r));
        repo.MapPatch("/issues/comments/{id:long}", EditComment);
        _app.StartAsync().GetAwaiter().GetResult();
    }

    /// <summary>What GITHUB_API_URL is on GitHub Enterprise: the host's <c>/api/v3</c>.</summary>
    public string ApiUrl => _app.Urls.First() + "/api/v3";

    private async Task Gate(HttpContext context, RequestDelegate next)
    {
        lock (Requests) Requests.Add($"{context.Request.Method} {context.Request.Path}");
        var authorization = context.Request.Headers.Authorization.ToString();
        if (RejectToken || authorization != $"Token {Token}")
        {
            await Json(401, Error($"Bad credentials ({authorization})")).ExecuteAsync(context);
            return;
        }
        if (Canned.TryDequeue(out var reply))
        {
            foreach (var (name, value) in reply.Headers) context.Response.Headers[name] = value;
            await Results.Text(reply.Body, reply.ContentType, Encoding.UTF8, reply.Status).ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    private async Task<IResult> UpdateRef(string name, HttpRequest request)
    {
        var body = await Body(request);
        var sha = body["sha"]!.GetValue<string>();
        BeforeRefUpdate?.Invoke(Branch(name));
        var current = Repo.Head(Branch(name));
        if (current is null) return NotFound();
        if (!Repo.IsAncestor(current, sha) && body["force"]?.GetValue<bool>() != true)
            return Json(422, Error("Update is not a fast forward"));
        Repo.Git("update-ref", $"refs/{name}", sha, current);
        return Json(200, RefJson(name, sha));
    }

    private async Task<IResult> CreateCommit(HttpRequest request)
    {
        var body = await Body(request);
        var parents = body["parents"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        var sha = Repo.CommitTree(body["tree"]!.GetValue<string>(), parents.SingleOrDefault(), body["message"]!.GetValue<string>());
        return Json(201, CommitJson(sha));
    }

    /// <summary>GitHub's create-tree: entries (nested paths allowed) over an optional base tree; a tree entry replaces that folder.</summary>
    private async Task<IResult> CreateTree(HttpRequest request)
    {
        var body = await Body(request);
        var files = body["base_tree"] is { } baseTree ? Repo.Files(baseTree.GetValue<string>()) : [];
        foreach (var item in body["tree"]!.AsArray())
        {
            var path = item!["path"]!.GetValue<string>();
            var type = item["type"]!.GetValue<string>();
            var sha = item["content"] is { } content ? Repo.HashObject(Encoding.UTF8.GetBytes(content.GetValue<string>())) : item["sha"]!.GetValue<string>();
            if (type == "tree")
            {
                foreach (var key in files.Keys.Where(k => k.StartsWith(path + "/", StringComparison.Ordinal)).ToList()) files.Remove(key);
                foreach (var (sub, entry) in Repo.Files(sha)) files[$"{path}/{sub}"] = entry;
            }
            else files[path] = new BareRepository.Entry(item["mode"]!.GetValue<string>(), type, sha);
        }
        return Json(201, TreeJson(Repo.WriteTree(files), recursive: false));
    }

    private async Task<IResult> CreateBlob(HttpRequest request)
    {
        var body = await Body(request);
        var content = body["content"]!.GetValue<string>();
        var bytes = body["encoding"]?.GetValue<string>() == "base64" ? Convert.FromBase64String(content) : Encoding.UTF8.GetBytes(content);
        var sha = Repo.HashObject(bytes);
        return Json(201, new JsonObject { ["url"] = Url($"git/blobs/{sha}"), ["sha"] = sha });
    }

    private IResult ListComments(string on) =>
        Json(200, new JsonArray([.. Comments.Where(c => c.On == on).Select(c => CommentJson(c.Id, c.Body))]));

    private async Task<IResult> AddComment(string on, HttpRequest request)
    {
        var body = (await Body(request))["body"]!.GetValue<string>();
        var id = _nextId++;
        Comments.Add((id, on, body));
        return Json(201, CommentJson(id, body));
    }

    private async Task<IResult> EditComment(long id, HttpRequest request)
    {
        var body = (await Body(request))["body"]!.GetValue<string>();
        var i = Comments.FindIndex(c => c.Id == id);
        Comments[i] = Comments[i] with { Body = body };
        return Json(200, CommentJson(id, body));
    }

    private static string Branch(string refName) => refName.StartsWith("heads/", StringComparison.Ordinal) ? refName["heads/".Length..] : refName;

    private static string Url(string path) => $"https://api.github.com/repos/{Owner}/{Name}/{path}";

    private static JsonObject RefJson(string name, string sha) => new()
    {
        ["ref"] = $"refs/{name}", ["node_id"] = "MDA6RW50aXR5MQ==", ["url"] = Url($"git/refs/{name}"),
        ["object"] = new JsonObject { ["sha"] = sha, ["type"] = "commit", ["url"] = Url($"git/commits/{sha}") },
    };

    private JsonObject CommitJson(string sha)
    {
        var lines = Repo.Git("cat-file", "commit", sha).Split('\n');
        var tree = lines.First(l => l.StartsWith("tree ", StringComparison.Ordinal))[5..];
        var parents = lines.TakeWhile(l => l.Length > 0).Where(l => l.StartsWith("parent ", StringComparison.Ordinal)).Select(l => l[7..]);
        var person = new JsonObject { ["name"] = "runner", ["email"] = "runner@example.com", ["date"] = "2017-10-10T16:00:00Z" };
        return new JsonObject
        {
            ["sha"] = sha, ["node_id"] = "MDA6RW50aXR5MQ==", ["url"] = Url($"git/commits/{sha}"),
            ["html_url"] = $"https://github.com/{Owner}/{Name}/commit/{sha}",
            ["author"] = person.DeepClone(), ["committer"] = person,
            ["tree"] = new JsonObject { ["sha"] = tree, ["url"] = Url($"git/trees/{tree}") },
            ["message"] = string.Join('\n', lines.SkipWhile(l => l.Length > 0).Skip(1)).TrimEnd('\n'),
            ["parents"] = new JsonArray([.. parents.Select(p => new JsonObject { ["sha"] = p, ["url"] = Url($"git/commits/{p}") })]),
            ["verification"] = new JsonObject { ["verified"] = false, ["reason"] = "unsigned", ["signature"] = null, ["payload"] = null },
        };
    }

    private JsonObject TreeJson(string sha, bool recursive) => new()
    {
        ["sha"] = sha, ["url"] = Url($"git/trees/{sha}"), ["truncated"] = false,
        ["tree"] = new JsonArray([.. Repo.List(sha, recursive).Select(e =>
        {
            var item = new JsonObject { ["path"] = e.Path, ["mode"] = e.Entry.Mode, ["type"] = e.Entry.Type, ["sha"] = e.Entry.Sha, ["url"] = Url($"git/{e.Entry.Type}s/{e.Entry.Sha}") };
            if (e.Size != "-") item["size"] = long.Parse(e.Size, CultureInfo.InvariantCulture);
            return item;
        })]),
    };

    private static JsonObject CommentJson(long id, string body) => new()
    {
        ["id"] = id, ["node_id"] = "MDA6RW50aXR5MQ==", ["url"] = Url($"comments/{id}"),
        ["html_url"] = $"https://github.com/{Owner}/{Name}/comments#{id}", ["body"] = body,
        ["user"] = new JsonObject { ["login"] = "github-actions[bot]", ["id"] = 41898282, ["type"] = "Bot" },
        ["created_at"] = "2017-10-10T16:00:00Z", ["updated_at"] = "2017-10-10T16:00:00Z",
    };

    private static JsonObject PullJson(int number, string branch) => new()
    {
        ["id"] = number, ["number"] = number, ["state"] = "open", ["title"] = "experiments", ["html_url"] = $"https://github.com/{Owner}/{Name}/pull/{number}",
        ["head"] = new JsonObject { ["label"] = $"{Owner}:{branch}", ["ref"] = branch, ["sha"] = "0000000000000000000000000000000000000001" },
        ["base"] = new JsonObject { ["label"] = $"{Owner}:main", ["ref"] = "main", ["sha"] = "0000000000000000000000000000000000000001" },
    };

    /// <summary>One answer for <see cref="Canned"/>; the factories follow what github.com sends.</summary>
    public sealed record CannedReply(int Status, string ContentType, string Body, IReadOnlyDictionary<string, string> Headers)
    {
        private const string JsonType = "application/json; charset=utf-8";

        public static CannedReply RateLimit(DateTimeOffset reset) => new(403, JsonType, Error("API rate limit exceeded for user ID 1.").ToJsonString(),
            new Dictionary<string, string> { ["x-ratelimit-remaining"] = "0", ["x-ratelimit-limit"] = "5000", ["x-ratelimit-reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) });

        /// <param name="retryAfter">The retry-after header in seconds; GitHub leaves it out at times.</param>
        public static CannedReply SecondaryRateLimit(int status = 403, int? retryAfter = null) => new(status, JsonType,
            Error("You have exceeded a secondary rate limit. Please wait a few minutes before you try again.").ToJsonString(),
            retryAfter is { } s ? new Dictionary<string, string> { ["retry-after"] = s.ToString(CultureInfo.InvariantCulture) } : new Dictionary<string, string>());

        public static CannedReply ServerError(int status = 502) => new(status, JsonType, Error("Server Error").ToJsonString(), new Dictionary<string, string>());

        /// <summary>What a proxy or a load balancer answers in GitHub's place.</summary>
        public static CannedReply HtmlPage(int status) => new(status, "text/html; charset=utf-8",
            "<!DOCTYPE html>\n<html><head><title>Gateway</title></head><body><h1>Proxy error</h1><p>Please log in.</p></body></html>\n", new Dictionary<string, string>());
    }

    private static JsonObject Error(string message) => new() { ["message"] = message, ["documentation_url"] = "https://docs.github.com/rest" };
    private static IResult NotFound() => Json(404, Error("Not Found"));

    private static IResult Json(int status, JsonNode body) =>
        Results.Text(body.ToJsonString(), "application/json; charset=utf-8", Encoding.UTF8, status);

    private static async Task<JsonNode> Body(HttpRequest request) => (await JsonNode.ParseAsync(request.Body))!;

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Repo.Dispose();
    }
}
