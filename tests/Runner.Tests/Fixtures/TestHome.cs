using System.Runtime.CompilerServices;

namespace Runner.Tests.Fixtures;

/// <summary>
/// The whole suite runs with <c>RUNNER_HOME</c> in a private temporary folder (inherited by every <c>runner</c> process
/// the tests start), so nothing is read from or written into the user's <c>~/.cache/runner</c>, and suites running
/// side by side do not share a cache.
/// </summary>
internal static class TestHome
{
    public static string Root { get; } = Path.Combine(Path.GetTempPath(), $"runner-tests-home-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);

    [ModuleInitializer]
    internal static void Use()
    {
        Environment.SetEnvironmentVariable("RUNNER_HOME", Root);
        Environment.SetEnvironmentVariable("RUNNER_DATA", null);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
    }
}
