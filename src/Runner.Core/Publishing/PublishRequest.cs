namespace Runner.Core.Publishing;

/// <summary>What <c>runner publish FILE</c> was asked: the experiment's name and report folder, plus the options.</summary>
public sealed record PublishRequest(
    string Experiment, string ExperimentFile, string ReportOutput, string? Repo, string? Branch, bool DryRun, CommentTarget Comment);
