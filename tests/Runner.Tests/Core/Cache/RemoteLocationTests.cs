using Runner.Core.Cache;

namespace Runner.Tests.Core.Cache;

/// <summary>
/// Where the remote cache is: <c>--remote</c>, else <c>RUNNER_REMOTE</c>; <c>--no-remote</c> wins; bad settings are named,
/// credentials never echoed.
/// </summary>
public sealed class RemoteLocationTests
{
    private static RemoteLocation? Resolve(string? option, bool off = false, params (string Name, string Value)[] environment) =>
        RemoteLocation.Resolve(option, off, name => environment.FirstOrDefault(e => e.Name == name).Value);

    [Fact]
    public void The_option_wins_over_the_variable_and_no_remote_over_both()
    {
        Assert.Null(Resolve(null));
        Assert.Null(Resolve(null, environment: ("RUNNER_REMOTE", " ")));
        Assert.Equal(new RemoteLocation("team", "runner/ci", null), Resolve(null, environment: ("RUNNER_REMOTE", "s3://team/runner/ci/")));
        Assert.Equal(new RemoteLocation("mine", "", null), Resolve("s3://mine", environment: ("RUNNER_REMOTE", "s3://team/runner")));
        Assert.Null(Resolve("s3://mine", off: true, ("RUNNER_REMOTE", "s3://team/runner")));
        Assert.Equal("s3://team/runner", Resolve(null, environment: ("RUNNER_REMOTE", "s3://team/runner"))!.ToString());
        Assert.Equal("runner/cas/ab", Resolve("s3://team/runner")!.ObjectKey("cas/ab"));
        Assert.Equal("cas/ab", Resolve("s3://team")!.ObjectKey("cas/ab"));
    }

    [Fact]
    public void An_endpoint_comes_from_the_aws_variables_the_service_specific_one_first()
    {
        Assert.Equal(new Uri("http://minio:9000"), Resolve("s3://b", environment: ("AWS_ENDPOINT_URL", "http://minio:9000"))!.Endpoint);
        Assert.Equal(new Uri("https://s3.internal"),
            Resolve("s3://b", environment: [("AWS_ENDPOINT_URL", "http://minio:9000"), ("AWS_ENDPOINT_URL_S3", "https://s3.internal")])!.Endpoint);
    }

    [Theory]
    [InlineData("http://bucket/prefix", "--remote 'http://bucket/prefix': expected s3://BUCKET or s3://BUCKET/PREFIX")]
    [InlineData("s3://", "--remote 's3://': expected s3://BUCKET")]
    [InlineData("s3://b/../x", "--remote 's3://b/../x': the prefix may not contain empty, '.' or '..' parts")]
    [InlineData("s3://b/x//y", "--remote 's3://b/x//y': the prefix may not contain empty")]
    [InlineData("s3://AKIA:secret@bucket/p", "--remote (not shown: it contains '@'): expected s3://BUCKET")]
    public void A_malformed_url_is_refused_naming_where_it_came_from(string url, string message)
    {
        var e = Assert.Throws<FormatException>(() => Resolve(url));
        Assert.StartsWith(message, e.Message);
        Assert.DoesNotContain("secret", e.Message);
    }

    [Theory]
    [InlineData("minio:9000", "AWS_ENDPOINT_URL 'minio:9000': expected an http:// or https:// URL")]
    [InlineData("http://user:secret@minio:9000", "AWS_ENDPOINT_URL (not shown: it contains '@')")]
    public void A_malformed_endpoint_is_refused_naming_the_variable(string endpoint, string message)
    {
        var e = Assert.Throws<FormatException>(() => Resolve(null, environment: [("RUNNER_REMOTE", "s3://b"), ("AWS_ENDPOINT_URL", endpoint)]));
        Assert.StartsWith(message, e.Message);
        Assert.DoesNotContain("secret", e.Message);
    }
}
