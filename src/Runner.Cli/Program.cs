using System.CommandLine;
using Runner.Cli;

return CommandLine.Build().Parse(args) is var parsed && parsed.Errors.Count > 0
    ? CommandLine.ReportParseErrors(parsed)
    : parsed.Invoke();
