using Runner.Core.Config;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Training;

/// <summary>Builds the configured optimizer over the trainable parameters and sets its learning rate per step.</summary>
internal static class Optimizers
{
    public static optim.Optimizer Create(OptimizerSpec spec, IEnumerable<Parameter> parameters)
    {
        var trainable = parameters.Where(p => p.requires_grad).ToList();
        if (trainable.Count == 0) throw new InvalidOperationException("no trainable parameters");
        return spec.Name switch
        {
            "adam" => new LeanAdam(trainable, spec.Lr, spec.WeightDecay),
            "adamw" => new LeanAdamW(trainable, spec.Lr, spec.WeightDecay),
            "sgd" => optim.SGD(trainable, spec.Lr, momentum: spec.Momentum, weight_decay: spec.WeightDecay, nesterov: spec.Nesterov),
            _ => throw new ArgumentException($"unknown optimizer '{spec.Name}'"),
        };
    }

    public static void SetLearningRate(optim.Optimizer optimizer, double lr)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
    }

    public static double LearningRate(optim.Optimizer optimizer) => optimizer.ParamGroups.First().LearningRate;

    /// <summary>The optimizer as the TorchSharp type that saves and loads its state (moments, momentum buffers, step counts).</summary>
    public static OptimizerHelper State(optim.Optimizer optimizer) =>
        optimizer as OptimizerHelper ?? throw new NotSupportedException($"{optimizer.GetType().Name} cannot save its state");
}
