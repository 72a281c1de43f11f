namespace Runner.Core.Config;

internal static class BadImagePolicy
{
    public const string Fail = "fail";
    public const string Skip = "skip";
    public static readonly string[] All = [Fail, Skip];
}
