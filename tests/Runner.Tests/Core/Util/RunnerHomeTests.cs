using Runner.Core.Util;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Util;

/// <summary>The runner home and the data root: where state and datasets are found outside the checkout.</summary>
public sealed class RunnerHomeTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_dataset_path_missing_here_is_looked_up_under_RUNNER_DATA_else_under_the_home()
    {
        var relative = Path.Combine("data", $"pets-{Guid.NewGuid():N}"); // not in the working directory
        var data = _temp.Sub("datasets");
        var home = _temp.Sub("home");
        Directory.CreateDirectory(Path.Combine(data, relative));
        Directory.CreateDirectory(Path.Combine(home, relative));

        Assert.Equal(Path.Combine(data, relative),
            RunnerHome.ResolveData(relative, v => v switch { "RUNNER_DATA" => data, "RUNNER_HOME" => home, _ => null }));
        Assert.Equal(Path.Combine(home, relative), RunnerHome.ResolveData(relative, v => v == "RUNNER_HOME" ? home : null));

        var nowhere = Path.Combine("data", "nowhere");
        Assert.Equal(nowhere, RunnerHome.ResolveData(nowhere, v => v == "RUNNER_HOME" ? home : null)); // reported missing as written
        Assert.Equal(data, RunnerHome.ResolveData(data, _ => home)); // absolute paths as they are
    }

    [Fact]
    public void The_suite_never_uses_the_users_home()
    {
        var user = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "runner");
        Assert.NotEqual(user, RunnerHome.Root());
        Assert.StartsWith(Path.GetTempPath(), RunnerHome.Cache);
    }
}
