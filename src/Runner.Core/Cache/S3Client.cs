using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Runner.Core.Cache;

/// <summary>
/// The AWS SDK client for a <see cref="RemoteLocation"/>. Credentials come from the SDK's standard chain
/// (<c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>/<c>AWS_SESSION_TOKEN</c>, <c>AWS_PROFILE</c> and the shared files,
/// web identity, container and instance roles); retries are the SDK's standard mode (3 attempts with backoff, or
/// <c>AWS_MAX_ATTEMPTS</c>). With an endpoint, requests use path-style addressing (MinIO, Ceph RGW, s3rver, R2, GCS) and
/// sign for <c>AWS_REGION</c> (default us-east-1). Checksums are sent and checked only where S3 requires them: stores
/// other than AWS often reject the SDK's default trailing checksums; every file is verified by its SHA-256 anyway.
/// </summary>
internal static class S3Client
{
    private static readonly string[] RegionVariables = ["AWS_REGION", "AWS_DEFAULT_REGION"];

    public static IAmazonS3 Create(RemoteLocation location, AWSCredentials? credentials = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var region = RegionVariables.Select(environment).FirstOrDefault(r => !string.IsNullOrWhiteSpace(r))?.Trim();
        var config = new AmazonS3Config
        {
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            Timeout = TimeSpan.FromMinutes(10), // one request: a checkpoint of hundreds of MB on a slow link
        };
        if (location.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        try
        {
            return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
        }
        catch (AmazonClientException) when (location.Endpoint is null && region is null)
        {
            config.RegionEndpoint = RegionEndpoint.USEast1; // no region anywhere in the chain: S3 redirects to the bucket's own
            return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
        }
    }
}
