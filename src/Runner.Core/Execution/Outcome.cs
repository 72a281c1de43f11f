namespace Runner.Core.Execution;

public enum Outcome { Cached, Ran, Failed, Skipped }
