using Runner.Core.Machines;

namespace Runner.Tests.Fixtures;

/// <summary>Machine records for tests that need one without starting libtorch.</summary>
public static class TestMachines
{
    public static Machine Cpu(int threads = 2, string model = "Test CPU") => new("cpu", model, model, 2, threads, "2.10.0.0", "0.107.0", "cpu");
}
