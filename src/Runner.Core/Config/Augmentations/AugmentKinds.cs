using System.Text.Json.Serialization.Metadata;

namespace Runner.Core.Config;

/// <summary>
/// Every augmentation kind, in the order the schema and error messages list them: adding one is its record's file (with
/// its <see cref="AugmentKind"/>), one line here, and its case in the augmenter (<c>Runner.Torch.Data.Augmenter</c>).
/// </summary>
public static class AugmentKinds
{
    public static readonly IReadOnlyList<AugmentKind> All =
    [
        AugmentOp.HFlip.Step,
        AugmentOp.VFlip.Step,
        AugmentOp.CornerCrop.Step,
        AugmentOp.RandomResizedCrop.Step,
        AugmentOp.Rotate.Step,
        AugmentOp.ColorJitter.Step,
        AugmentOp.GaussianBlur.Step,
        AugmentOp.Cutout.Step,
        AugmentOp.Grayscale.Step,
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(k => k.Name)];

    public static AugmentKind? ByName(string name) => All.FirstOrDefault(k => k.Name == name);

    public static AugmentKind Of(Type type) =>
        All.FirstOrDefault(k => k.Type == type) ?? throw new InvalidOperationException($"{type.Name} is not listed in AugmentKinds.All");

    /// <summary>
    /// Makes <see cref="AugmentOp"/> polymorphic in System.Text.Json: <c>{"kind": NAME, "p": …, …}</c>, one derived
    /// type per kind.
    /// </summary>
    public static void Polymorphism(JsonTypeInfo info)
    {
        if (info.Type != typeof(AugmentOp)) return;
        info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "kind" };
        foreach (var kind in All) info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(kind.Type, kind.Name));
    }
}
