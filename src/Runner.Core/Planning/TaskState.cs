namespace Runner.Core.Planning;

public enum TaskState { Cached, Stale }
