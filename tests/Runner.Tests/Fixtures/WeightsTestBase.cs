using Runner.Torch.Weights;

namespace Runner.Tests.Fixtures;

/// <summary>A temporary folder and a store inside it, deleted afterwards.</summary>
public abstract class WeightsTestBase : IDisposable
{
    protected WeightsTestBase()
    {
        WeightsTestSupport.EnsureTorch();
        Temp = Directory.CreateTempSubdirectory("runner-weights-").FullName;
        Store = new WeightsStore(Path.Combine(Temp, "home", "weights"));
    }

    protected string Temp { get; }
    protected WeightsStore Store { get; }

    protected string PathIn(string name) => Path.Combine(Temp, name);

    /// <summary>Releases what a test class holds, before the temporary folder is deleted.</summary>
    protected virtual void DisposeResources()
    {
    }

    public void Dispose()
    {
        DisposeResources();
        Directory.Delete(Temp, recursive: true);
        GC.SuppressFinalize(this);
    }
}
