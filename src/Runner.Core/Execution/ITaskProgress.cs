namespace Runner.Core.Execution;

/// <summary>Live progress of one task; implementations decide how (and whether) to draw it.</summary>
public interface ITaskProgress
{
    void Update(double done, double total, string detail);
}
