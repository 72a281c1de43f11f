// The tests build for linux-x64 only (RuntimeIdentifier) and drive bash scripts and Unix file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
