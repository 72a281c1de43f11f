using Runner.Core.Config;

namespace Runner.Core.Planning;

/// <summary>
/// A kind planned once per backbone. Consecutive per-backbone kinds of the registry are planned together, backbone by
/// backbone (train:a, eval:a, time:a, train:b, …), so with one device slot a backbone's eval follows its training.
/// </summary>
public interface IBackboneTaskKind : ITaskKind
{
    void Plan(PlanContext plan, BackboneSpec backbone);
}
