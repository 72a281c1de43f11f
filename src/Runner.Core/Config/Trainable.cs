namespace Runner.Core.Config;

/// <summary><c>trainable: all | head | last-N</c>.</summary>
public static class Trainable
{
    private static readonly System.Text.RegularExpressions.Regex LastN = new(@"^last-([1-9][0-9]{0,3})$");

    /// <summary>N of <c>last-N</c> (1 to 9999), or null for anything else.</summary>
    public static int? LastBlocks(string trainable) => LastN.Match(trainable) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
}
