using TorchSharp;
using Runner.Core.Ensembles;
using Runner.Core.Evaluation;
using Runner.Torch.Ensembles;
using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Tests.Core.Ensembles;

/// <summary>The TorchSharp stackers (stacking MLP, logistic regression) and the penultimate features they can stack.</summary>
public sealed class StackerTests
{
    /// <summary>Two members that see the same signal with independent noise, a validation split to fit on and a test split.</summary>
    private static (EnsembleSplit Validation, EnsembleSplit Test, double[][][] TestMembers, IReadOnlyList<int> TestLabels) Complementary(string inputs)
    {
        var validationLabels = Synthetic.Labels(400, seed: 20);
        var testLabels = Synthetic.Labels(400, seed: 21);
        double[][][] Members(IReadOnlyList<int> labels, int seed) =>
            [Synthetic.NoisyMember(labels, 1.2, 1.5, seed), Synthetic.NoisyMember(labels, 1.2, 1.5, seed + 1)];
        var testMembers = Members(testLabels, 30);
        return (Synthetic.Split(validationLabels, inputs, Members(validationLabels, 40)), Synthetic.Split(testLabels, inputs, testMembers),
            testMembers, testLabels);
    }

    [Theory]
    [InlineData("logits")]
    [InlineData("probabilities")]
    public void Stacking_members_that_err_independently_beats_each_member_on_test(string inputs)
    {
        var (validation, test, members, labels) = Complementary(inputs);

        var result = CrossFit.Run(new MlpStacker([32, 8], epochs: 60, lr: 1e-3, batchSize: 32), validation, test, folds: 0, seed: 42);

        var stacked = Metrics.LogLoss(result.Test, labels);
        var bestMember = members.Min(m => Metrics.LogLoss(m, labels));
        Assert.True(stacked < bestMember - 0.02, $"stacking {stacked:0.0000} vs best member {bestMember:0.0000}");
        Assert.True(Metrics.Accuracy(result.Test, labels) > members.Max(m => Metrics.Accuracy(m, labels)));
    }

    [Fact]
    public void Logistic_regression_on_logits_beats_each_member_too()
    {
        var (validation, test, members, labels) = Complementary("logits");

        var result = CrossFit.Run(new MlpStacker([], epochs: 60, lr: 1e-2, batchSize: 32), validation, test, folds: 3, seed: 1);

        Assert.Equal(3, result.Fits.Count);
        Assert.True(Metrics.LogLoss(result.Test, labels) < members.Min(m => Metrics.LogLoss(m, labels)) - 0.02);
    }

    [Fact]
    public void The_same_seed_gives_the_same_stacker_and_another_seed_another()
    {
        var (validation, test, _, _) = Complementary("logits");
        var stacker = new MlpStacker([8], epochs: 5, lr: 1e-3, batchSize: 16);

        var first = stacker.Fit(validation, 7).Predict(test);
        var again = stacker.Fit(validation, 7).Predict(test);
        var other = stacker.Fit(validation, 8).Predict(test);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Features_are_the_input_of_the_classification_layer()
    {
        var arch = ArchRegistry.Default["resnet18"];
        torch.manual_seed(3);
        using var model = arch.Create(1);
        model.eval();
        using var images = torch.randn(2, 3, 32, 32);
        var head = (TorchSharp.Modules.Linear)model.named_modules().Single(m => m.name == "fc").module;
        using var weight = head.weight.detach().clone();
        using var bias = head.bias!.detach().clone();
        using var _ = torch.inference_mode();
        using var logits = model.call(images);

        var width = FeaturesExecutor.ExposeFeatures(model, arch);
        using var features = model.call(images);

        Assert.Equal(512, width);
        Assert.Equal([2L, 512L], features.shape);
        using var again = nn.functional.linear(features, weight, bias);
        Assert.True(again.allclose(logits, rtol: 1e-4, atol: 1e-5), "the original layer applied to the features must give the logits");
    }
}
