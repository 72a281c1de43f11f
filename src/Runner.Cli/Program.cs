using Runner.Cli;

// Before anything can touch TorchSharp: on systems whose libstdc++ predates GCC 13 the build left a shim to load first.
Runner.NativeCompat.NativeCompat.LoadShimIfPresent(AppContext.BaseDirectory);
TerminalText.Install();
using var signals = Interruption.Listen();

var code = CommandLine.Build().Parse(args) is var parsed && parsed.Errors.Count > 0
    ? CommandLine.ReportParseErrors(parsed)
    : CommandLine.Start(parsed);
if (Interruption.Requested) Interruption.ExitNow(code); // not after libtorch's teardown, which waits for work in flight
return code;
