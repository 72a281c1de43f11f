using Runner.Core.Data;
using Runner.Core.Ensembles;
using Runner.Core.Execution;
using Runner.Torch.Evaluation;
using Runner.Torch.Models;
using Runner.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;
using Runner.Core.Planning.Kinds;

namespace Runner.Torch.Ensembles;

/// <summary>
/// The <c>features</c> task: one trained backbone's pooled penultimate features (the input of its classification layer)
/// on the validation and test splits, for ensembles with <c>inputs: features</c>. Computed once per trained model and cached.
/// </summary>
public sealed class FeaturesExecutor(TorchRuntime runtime, ArchRegistry archs) : ITaskExecutor<FeaturesKind>
{
    public void Execute(TaskContext context)
    {
        var b = context.Params<FeaturesParams>();
        using var opened = TrainedOnData.Open(context, runtime, archs, b.Arch, b.ImageSize);
        var (arch, split, trained, batches) = opened;
        var width = ExposeFeatures(trained.Model, arch);
        var splits = new Dictionary<string, (IReadOnlyList<string>, float[])>();
        foreach (var name in new[] { Splits.Validation, Splits.Test })
        {
            var items = split.In(name).ToList();
            var rows = Predictor.Rows(trained.Model, batches, items, b.BatchSize, runtime.DeviceOf(context), trained.Model.forward, context.Cancel);
            splits[name] = (items.Select(i => i.Id).ToList(), rows.SelectMany(r => r.Select(v => (float)v)).ToArray());
            context.Progress.Update(splits.Count, 2, $"features of {name}");
        }
        FeatureFile.Write(context.OutputDir, splits, width);
    }

    /// <summary>
    /// Turns the model's classification layer (<see cref="ArchDefinition.HeadPrefix"/>, a Linear: the last layer of every
    /// architecture) into the identity, so the model's output is that layer's input; returns its width.
    /// </summary>
    public static int ExposeFeatures(nn.Module<Tensor, Tensor> model, ArchDefinition arch)
    {
        var linear = model.named_modules().FirstOrDefault(m => m.name == arch.HeadPrefix).module as TorchSharp.Modules.Linear
            ?? throw new InvalidOperationException($"{arch.Name}: '{arch.HeadPrefix}' is not a Linear layer");
        var width = (int)linear.in_features;
        var device = linear.weight.device;
        linear.weight = new TorchSharp.Modules.Parameter(torch.eye(width, device: device), requires_grad: false);
        linear.bias = new TorchSharp.Modules.Parameter(torch.zeros(width, device: device), requires_grad: false);
        return width;
    }
}
