// Build-time tool, run by build/NativeCompat.targets after every build of a project that uses TorchSharp:
//   Runner.NativeCompat <outputDir> <shimSource>
using Runner.NativeCompat;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Runner.NativeCompat <outputDir> <path to native/glibcxx_compat.cpp>");
    return 2;
}
try
{
    Console.WriteLine($"native compat: {NativeCompat.Prepare(args[0], args[1]).Message}");
    return 0;
}
catch (Exception e)
{
    // Canonical "origin : error CODE : text" format, so MSBuild's Exec reports it as a build error.
    Console.Error.WriteLine($"Runner.NativeCompat : error NATIVECOMPAT001 : {e.Message}");
    return 1;
}
