namespace Runner.Core.Ensembles;

/// <summary>Every ensemble method runner knows. Adding one: a class deriving from <see cref="EnsembleMethod"/> and a line here.</summary>
internal static class EnsembleMethods
{
    public static IReadOnlyList<EnsembleMethod> All { get; } =
    [
        new StackingMethod(),
        new MeanMethod(),
        new WeightedMethod(),
        new LogisticMethod(),
    ];

    /// <summary>The method of a group that names none.</summary>
    public static EnsembleMethod Default => All[0];

    public static IReadOnlyList<string> Names => All.Select(m => m.Name).ToList();

    /// <summary>The method called <paramref name="name"/>; names come validated from the experiment file.</summary>
    public static EnsembleMethod ByName(string name) =>
        All.FirstOrDefault(m => m.Name == name) ?? throw new ArgumentException($"unknown ensemble method '{name}'", nameof(name));

    /// <summary>The names of the methods that match, for error messages ("stacking or logistic").</summary>
    public static string Describe(Func<EnsembleMethod, bool> match) => string.Join(" or ", All.Where(match).Select(m => m.Name));
}
