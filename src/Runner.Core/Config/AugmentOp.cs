using System.Text.Json.Nodes;

namespace Runner.Core.Config;

/// <summary>
/// One augmentation step: applied with probability <see cref="P"/>, with every parameter resolved (defaults filled in)
/// when the experiment is read. One record per kind; <see cref="ToJson"/> lists them all, so the training key covers them.
/// </summary>
public abstract record AugmentOp(double P)
{
    public const double DefaultP = 0.5;

    /// <summary>The name used in experiment files (<c>hflip</c>, <c>rotate</c>, …).</summary>
    public abstract string Kind { get; }

    /// <summary>The parameters other than <c>p</c>, by their YAML name.</summary>
    protected abstract IEnumerable<(string Name, JsonNode Value)> Args();

    /// <summary><c>{kind, p, …parameters}</c>: the step's part of the training key.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["kind"] = Kind, ["p"] = P };
        foreach (var (name, value) in Args()) json[name] = value;
        return json;
    }

    /// <summary>Mirror left and right.</summary>
    public sealed record HFlip(double P = DefaultP) : AugmentOp(P)
    {
        public override string Kind => "hflip";
        protected override IEnumerable<(string, JsonNode)> Args() => [];
    }

    /// <summary>Mirror top and bottom.</summary>
    public sealed record VFlip(double P = DefaultP) : AugmentOp(P)
    {
        public override string Kind => "vflip";
        protected override IEnumerable<(string, JsonNode)> Args() => [];
    }

    /// <summary>The original study's crops: a corner or the centre (each equally likely), <see cref="Size"/> × the side, resized back.</summary>
    public sealed record CornerCrop(double P = DefaultP, double Size = CornerCrop.DefaultSize) : AugmentOp(P)
    {
        public const double DefaultSize = 0.875;
        public override string Kind => "corner_crop";
        protected override IEnumerable<(string, JsonNode)> Args() => [("size", Size)];
    }

    /// <summary>torchvision's RandomResizedCrop: area fraction from <see cref="Scale"/>, aspect ratio log-uniform in <see cref="Ratio"/>.</summary>
    public sealed record RandomResizedCrop(double P, Interval Scale, Interval Ratio) : AugmentOp(P)
    {
        public static readonly Interval DefaultScale = new(0.08, 1.0);
        public static readonly Interval DefaultRatio = new(3.0 / 4.0, 4.0 / 3.0);
        public override string Kind => "random_resized_crop";
        protected override IEnumerable<(string, JsonNode)> Args() => [("scale", Scale.ToJson()), ("ratio", Ratio.ToJson())];
    }

    /// <summary>Rotation by an angle uniform in ±<see cref="Degrees"/>, borders reflected.</summary>
    public sealed record Rotate(double P = DefaultP, double Degrees = Rotate.DefaultDegrees) : AugmentOp(P)
    {
        public const double DefaultDegrees = 15;
        public override string Kind => "rotate";
        protected override IEnumerable<(string, JsonNode)> Args() => [("degrees", Degrees)];
    }

    /// <summary>torchvision-like ColorJitter: each factor uniform in [1 − x, 1 + x], the three applied in random order.</summary>
    public sealed record ColorJitter(
        double P = DefaultP, double Brightness = ColorJitter.Default, double Contrast = ColorJitter.Default, double Saturation = ColorJitter.Default)
        : AugmentOp(P)
    {
        public const double Default = 0.2;
        public override string Kind => "color_jitter";
        protected override IEnumerable<(string, JsonNode)> Args() =>
            [("brightness", Brightness), ("contrast", Contrast), ("saturation", Saturation)];
    }

    /// <summary>Gaussian blur with σ uniform in <see cref="Sigma"/>; the kernel is the odd size 2⌈3σ⌉ + 1.</summary>
    public sealed record GaussianBlur(double P, Interval Sigma) : AugmentOp(P)
    {
        public static readonly Interval DefaultSigma = new(0.1, 2.0);
        public override string Kind => "gaussian_blur";
        protected override IEnumerable<(string, JsonNode)> Args() => [("sigma", Sigma.ToJson())];
    }

    /// <summary>A square of <see cref="Size"/> × the side, centred uniformly (clipped at the borders), filled with 0 or the image mean.</summary>
    public sealed record Cutout(double P = DefaultP, double Size = Cutout.DefaultSize, string Fill = Cutout.Zero) : AugmentOp(P)
    {
        public const double DefaultSize = 0.25;
        public const string Zero = "0";
        public const string Mean = "mean";
        public static readonly string[] Fills = [Zero, Mean];
        public override string Kind => "cutout";
        protected override IEnumerable<(string, JsonNode)> Args() => [("size", Size), ("fill", Fill)];
    }
}
