using System.Text.Json.Serialization;

namespace Runner.Core.Config;

/// <summary>
/// One augmentation step: applied with probability <see cref="P"/>, with every parameter resolved (defaults filled in)
/// when the experiment is read. One record per kind, each in its own file with its <see cref="AugmentKind"/>, listed once
/// in <see cref="AugmentKinds.All"/>. The training key serialises the very record the augmenter reads (System.Text.Json
/// polymorphism, discriminator <c>kind</c>), so every setting that changes an image is in the key.
/// </summary>
public abstract partial record AugmentOp(double P)
{
    public const double DefaultP = 0.5;

    /// <summary>The name used in experiment files (<c>hflip</c>, <c>rotate</c>, …).</summary>
    [JsonIgnore]
    public string Kind => AugmentKinds.Of(GetType()).Name;
}
