using Runner.Core.Config;
using Runner.Core.Planning;
using Runner.Tests.Fixtures;
using static Runner.Core.Config.AugmentOp;
using Runner.Cli;

namespace Runner.Tests.Core.Config;

/// <summary>The <c>augmentations</c> section: every kind, defaults, located errors, and the training key.</summary>
public sealed class AugmentConfigTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _data;

    public AugmentConfigTests() => _data = _temp.Sub("dataset");

    public void Dispose() => _temp.Dispose();

    /// <summary>Lines 1–6 are fixed, so the first step is on line 7.</summary>
    private string Experiment(params string[] steps) => Yaml.Lines(
    [
        "name: exp",
        "dataset:",
        "  kind: folder",
        $"  path: {_data}",
        "augmentations:",
        "  a:",
        .. steps.Select(s => "    - " + s),
        "defaults: { augment: a }",
        "backbones: [resnet18, mobilenet_v2]",
    ]);

    private IReadOnlyList<AugmentOp> Steps(params string[] steps) => Yaml.Parse(Experiment(steps)).Backbones[0].Augment;

    private ConfigError Error(params string[] steps) => Assert.Single(Yaml.Fails(Experiment(steps)).Errors);

    [Fact]
    public void Every_kind_reads_its_parameters()
    {
        var ops = Steps(
            "hflip: { p: 0.1 }",
            "vflip: { p: 0.2 }",
            "corner_crop: { p: 0.3, size: 0.8 }",
            "random_resized_crop: { p: 1, scale: [0.5, 1.0], ratio: [0.9, 1.1] }",
            "rotate: { p: 0.4, degrees: 10 }",
            "color_jitter: { p: 0.6, brightness: 0.1, contrast: 0.3, saturation: 0 }",
            "gaussian_blur: { p: 0.7, sigma: [0.5, 1.5] }",
            "cutout: { p: 0.8, size: 0.5, fill: mean }");

        Assert.Equal<AugmentOp>(
        [
            new HFlip(0.1),
            new VFlip(0.2),
            new CornerCrop(0.3, 0.8),
            new RandomResizedCrop(1, new Interval(0.5, 1.0), new Interval(0.9, 1.1)),
            new Rotate(0.4, 10),
            new ColorJitter(0.6, 0.1, 0.3, 0),
            new GaussianBlur(0.7, new Interval(0.5, 1.5)),
            new Cutout(0.8, 0.5, Cutout.Mean),
        ], ops);
    }

    [Fact]
    public void Omitted_parameters_take_their_defaults_and_a_bare_name_takes_all()
    {
        var ops = Steps("hflip", "vflip:", "corner_crop: {}", "random_resized_crop: { p: 1 }", "rotate", "color_jitter", "gaussian_blur", "cutout");

        Assert.Equal<AugmentOp>(
        [
            new HFlip(0.5),
            new VFlip(0.5),
            new CornerCrop(0.5, 0.875),
            new RandomResizedCrop(1, new Interval(0.08, 1.0), new Interval(3.0 / 4, 4.0 / 3)),
            new Rotate(0.5, 15),
            new ColorJitter(0.5, 0.2, 0.2, 0.2),
            new GaussianBlur(0.5, new Interval(0.1, 2.0)),
            new Cutout(0.5, 0.25, Cutout.Zero),
        ], ops);
    }

    [Fact]
    public void One_number_is_a_fixed_range()
    {
        Assert.Equal(new GaussianBlur(0.5, new Interval(1, 1)), Assert.Single(Steps("gaussian_blur: { sigma: 1 }")));
    }

    [Fact]
    public void Unknown_parameter_suggests_the_right_one_at_its_position()
    {
        var error = Error("rotate: { p: 0.5, degree: 10 }");
        Assert.Equal(("exp.yaml", 7, 25), (error.File, error.Line, error.Column));
        Assert.Contains("unknown key 'degree' in 'augmentations.a[0].rotate'", error.Message);
        Assert.Contains("did you mean 'degrees'?", error.Message);
    }

    [Fact]
    public void A_parameter_of_another_kind_is_unknown()
    {
        var error = Error("hflip: { p: 0.5 }", "hflip: { size: 0.5 }");
        Assert.Equal((8, 16), (error.Line, error.Column));
        Assert.Contains("unknown key 'size' in 'augmentations.a[1].hflip'", error.Message);
    }

    [Fact]
    public void Unknown_kind_suggests_a_known_one()
    {
        var error = Error("roatte: { degrees: 5 }");
        Assert.Equal((7, 7), (error.Line, error.Column));
        Assert.Contains("unknown augmentation 'roatte'", error.Message);
        Assert.Contains("did you mean 'rotate'?", error.Message);
    }

    [Theory]
    [InlineData("hflip: { p: 1.5 }", 19, "augmentations.a[0].hflip.p: 1.5 is out of range [0, 1]")]
    [InlineData("rotate: { degrees: 200 }", 26, "augmentations.a[0].rotate.degrees: 200 is out of range [0, 180]")]
    [InlineData("color_jitter: { contrast: -0.1 }", 33, "augmentations.a[0].color_jitter.contrast: -0.1 is out of range [0, 1]")]
    [InlineData("corner_crop: { size: 0.05 }", 28, "augmentations.a[0].corner_crop.size: 0.05 is out of range [0.1, 1]")]
    [InlineData("cutout: { size: 2 }", 23, "augmentations.a[0].cutout.size: 2 is out of range [0.01, 1]")]
    [InlineData("cutout: { fill: black }", 23, "augmentations.a[0].cutout.fill: 'black' is not one of 0, mean")]
    [InlineData("random_resized_crop: { scale: [0.1, 0.5, 1.0] }", 37,
        "augmentations.a[0].random_resized_crop.scale: expected [min, max] (two numbers) or one number, got a list of 3")]
    [InlineData("random_resized_crop: { ratio: [2, 0.5] }", 37, "augmentations.a[0].random_resized_crop.ratio: min 2 is greater than max 0.5")]
    [InlineData("random_resized_crop: { scale: [0, 1] }", 38, "augmentations.a[0].random_resized_crop.scale[0]: 0 is out of range [0.01, 1]")]
    [InlineData("gaussian_blur: { sigma: [0.1, big] }", 37, "augmentations.a[0].gaussian_blur.sigma[1]: expected a number, got 'big'")]
    [InlineData("gaussian_blur: { sigma: { min: 1 } }", 31,
        "augmentations.a[0].gaussian_blur.sigma: expected [min, max] (two numbers) or one number, got a mapping")]
    public void Bad_parameter_values_are_reported_at_the_value(string step, int column, string message)
    {
        var error = Error(step);
        Assert.Equal((7, column), (error.Line, error.Column));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_step_must_be_one_kind()
    {
        var error = Error("{ hflip: { p: 0.5 }, vflip: { p: 0.5 } }");
        Assert.Equal((7, 7), (error.Line, error.Column));
        Assert.Contains("expected one step such as 'hflip: { p: 0.5 }'", error.Message);
    }

    private string TrainKey(params string[] steps) =>
        Yaml.Plan(Yaml.Parse(Experiment(steps))).Tasks.Single(t => t.Id == "train:resnet18").Key;

    [Theory]
    [InlineData("hflip: { p: 0.5 }", "hflip: { p: 0.6 }")]
    [InlineData("hflip: { p: 0.5 }", "vflip: { p: 0.5 }")]
    [InlineData("corner_crop: { size: 0.8 }", "corner_crop: { size: 0.9 }")]
    [InlineData("random_resized_crop: { scale: [0.1, 1] }", "random_resized_crop: { scale: [0.2, 1] }")]
    [InlineData("random_resized_crop: { ratio: [0.5, 2] }", "random_resized_crop: { ratio: [0.5, 3] }")]
    [InlineData("rotate: { degrees: 10 }", "rotate: { degrees: 11 }")]
    [InlineData("color_jitter: { brightness: 0.1 }", "color_jitter: { brightness: 0.2 }")]
    [InlineData("color_jitter: { contrast: 0.1 }", "color_jitter: { contrast: 0.2 }")]
    [InlineData("color_jitter: { saturation: 0.1 }", "color_jitter: { saturation: 0.2 }")]
    [InlineData("gaussian_blur: { sigma: [0.1, 2] }", "gaussian_blur: { sigma: [0.1, 3] }")]
    [InlineData("cutout: { size: 0.25 }", "cutout: { size: 0.3 }")]
    [InlineData("cutout: { fill: 0 }", "cutout: { fill: mean }")]
    public void Changing_any_parameter_changes_the_training_key(string before, string after)
    {
        Assert.NotEqual(TrainKey("hflip", before), TrainKey("hflip", after));
        Assert.NotEqual(TrainKey(before, "rotate"), TrainKey("rotate", before)); // order matters too
    }

    [Theory]
    [InlineData("rotate", "rotate: { p: 0.5, degrees: 15 }")]
    [InlineData("cutout: { fill: mean, size: 0.3 }", "cutout: { size: 0.3, fill: mean }")]
    [InlineData("gaussian_blur: { sigma: 1 }", "gaussian_blur: { sigma: [1, 1] }")]
    [InlineData("random_resized_crop: { scale: [0.08, 1.0] }", "random_resized_crop: { scale: [0.08, 1] }")]
    public void Equal_settings_written_differently_give_the_same_key(string a, string b) =>
        Assert.Equal(TrainKey(a), TrainKey(b));

    [Fact]
    public void The_train_parameters_list_every_parameter()
    {
        var train = Yaml.Plan(Yaml.Parse(Experiment("random_resized_crop: { p: 0.9 }", "cutout")))
            .Tasks.Single(t => t.Id == "train:resnet18");
        Assert.Equal(
            """[{"kind":"random_resized_crop","p":0.9,"ratio":{"max":1.3333333333333333,"min":0.75},"scale":{"max":1,"min":0.08}},""" +
            """{"fill":"0","kind":"cutout","p":0.5,"size":0.25}]""",
            CanonicalJson.Serialize(train.Params["augment"]));
    }
}
