using System.Runtime.InteropServices;
using Runner.Core.Cache;
using Runner.Core.Util;

namespace Runner.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM, the signal CI uses to cancel a job, handled alike: the first cancels <see cref="Token"/>,
/// which every long operation watches (tasks, downloads, imports, template rendering), and the command returns
/// <see cref="ExitCode"/> (130 or 143) with a message. A command still running <see cref="Grace"/> later (a native
/// computation that cannot look at the token) is ended then: this process's cache staging folders are deleted and it
/// exits with the same code, so every operation stops within 2 s. A second signal ends it at once the same way. Either
/// way the process ends with <c>_exit</c>: libtorch's teardown would first wait for the operation in flight.
/// </summary>
internal static class Interruption
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(1.5);

    private static readonly CancellationTokenSource Source = new();
    private static int _signal;

    public static CancellationToken Token => Source.Token;
    public static bool Requested => Source.IsCancellationRequested;

    /// <summary>128 + the signal's number: 130 for SIGINT, 143 for SIGTERM.</summary>
    public static int ExitCode => _signal == 15 ? ExitCodes.Terminated : ExitCodes.Interrupted;

    public static string SignalName => _signal == 15 ? "SIGTERM" : "Ctrl-C (SIGINT)";

    /// <summary>Handles both signals until disposed (for the whole command).</summary>
    public static IDisposable Listen()
    {
        var registrations = new[]
        {
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, 2)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, 15)),
        };
        return new Registrations(registrations);
    }

    private static void OnSignal(PosixSignalContext context, int signal)
    {
        context.Cancel = true;
        if (Interlocked.CompareExchange(ref _signal, signal, 0) != 0)
        {
            Stop("a second signal");
            return;
        }
        Source.Cancel();
        new Thread(() =>
        {
            Thread.Sleep(Grace);
            Stop($"still busy {Grace.TotalSeconds:0.0} s after it");
        }) { IsBackground = true, Name = "interruption" }.Start();
    }

    /// <summary>Ends the process now: what it was staging in the cache is deleted first (finished entries stay).</summary>
    private static void Stop(string why)
    {
        try
        {
            var cache = RunnerHome.Cache;
            if (Directory.Exists(cache)) new CacheStore(cache).AbandonStagingOf(Environment.ProcessId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // a folder being written at this very moment: the next run of its key, or cache gc, removes it
        }
        Console.Error.WriteLine($"runner: interrupted by {SignalName} and stopped at once ({why}); finished tasks stay in the cache, and training " +
            "resumes from its last finished epoch");
        ExitNow(ExitCode);
    }

    /// <summary>Ends an interrupted process with <paramref name="code"/> once what it printed is out, skipping native teardown.</summary>
    public static void ExitNow(int code)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        NativeExit(code);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void NativeExit(int status);

    private sealed class Registrations(PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations) registration.Dispose();
        }
    }
}
