namespace Runner.Torch.Weights;

/// <summary>Progress of a download: bytes on disk so far (including a resumed part) and the total when the server says it.</summary>
public sealed record DownloadProgress(string FileName, long Received, long? Total, long ResumedFrom, TimeSpan Elapsed, bool Done)
{
    public double? Fraction => Total is > 0 ? (double)Received / Total.Value : null;

    /// <summary>Bytes per second over this session (resumed bytes not counted).</summary>
    public double Rate => Elapsed.TotalSeconds > 0 ? (Received - ResumedFrom) / Elapsed.TotalSeconds : 0;
}
