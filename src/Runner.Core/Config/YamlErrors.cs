using YamlDotNet.RepresentationModel;

namespace Runner.Core.Config;

/// <summary>Collects located errors while an experiment file is read.</summary>
internal sealed class YamlErrors(string file)
{
    public string File { get; } = file;
    public List<ConfigError> Items { get; } = [];

    public void Add(YamlNode node, string message) =>
        Items.Add(new ConfigError(File, (int)node.Start.Line, (int)node.Start.Column, message));
}
