using Runner.Cli;

// Before anything can touch TorchSharp: on systems whose libstdc++ predates GCC 13 the build left a shim to load first.
Runner.NativeCompat.NativeCompat.LoadShimIfPresent(AppContext.BaseDirectory);
TerminalText.Install();
using var signals = Interruption.Listen();

return CommandLine.Build().Parse(args) is var parsed && parsed.Errors.Count > 0
    ? CommandLine.ReportParseErrors(parsed)
    : CommandLine.Start(parsed);
