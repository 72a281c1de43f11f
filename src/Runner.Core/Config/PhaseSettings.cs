namespace Runner.Core.Config;

/// <summary>One phase as written, before it is merged over its backbone's settings.</summary>
internal sealed record PhaseSettings(Settings Own, YamlMap Map);
