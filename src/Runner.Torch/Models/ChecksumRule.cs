namespace Runner.Torch.Models;

/// <summary>How a release file's download is verified.</summary>
public enum ChecksumRule
{
    /// <summary>Against a full SHA-256 that a public source states.</summary>
    Pinned,

    /// <summary>torch.hub's convention: the file name ends in <c>-HEX.ext</c>, HEX being the start of its SHA-256.</summary>
    HubSuffix,

    /// <summary>No published checksum: the download's SHA-256 is only recorded (and shown).</summary>
    Unverified,
}
