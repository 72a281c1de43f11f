namespace Runner.Core.Planning;

/// <summary>A kind planned once per experiment (<c>data</c>, <c>ensemble:NAME</c>, <c>report</c>).</summary>
internal interface IExperimentTaskKind : ITaskKind
{
    void Plan(PlanContext plan);
}
