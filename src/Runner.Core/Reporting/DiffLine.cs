namespace Runner.Core.Reporting;

/// <summary>One figure compared with the previous results.json: ▲ rose or ▼ fell by more than <see cref="Threshold"/>, or "" (noise).</summary>
internal sealed record DiffLine(string Name, string Metric, double Previous, double Current, double Threshold, bool LowerIsBetter)
{
    public double Change => Current - Previous;
    public bool Changed => Math.Abs(Change) > Threshold;
    public string Mark => !Changed ? "" : Change > 0 ? "▲" : "▼";
    /// <summary>A change for the better (lower loss or time, higher accuracy); false when unchanged.</summary>
    public bool Improved => Changed && (Change < 0) == LowerIsBetter;
}
