namespace Runner.Core.Config;

/// <summary>One swept setting: its key as written (<c>optimizer.lr</c>) and value (a number or a name).</summary>
public sealed record SweptValue(string Key, object Value);
