namespace Runner.Torch.Export;

/// <summary><c>export</c>'s parameters: the trained backbone to write and the experiment whose exports folder receives it.</summary>
internal sealed record ExportParams(string Experiment, string Backbone, string Arch, int ImageSize);
