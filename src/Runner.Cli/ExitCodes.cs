namespace Runner.Cli;

internal static class ExitCodes
{
    public const int Success = 0;
    public const int TasksFailed = 1;
    public const int InvalidInput = 2;
    /// <summary>Ctrl-C (SIGINT): the shell's convention, 128 + 2.</summary>
    public const int Interrupted = 130;
    /// <summary>SIGTERM (how CI cancels a job): 128 + 15.</summary>
    public const int Terminated = 143;
}
