using Runner.Core.Config;
using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Torch.Training;

/// <summary>
/// <c>trainable: all | head | last-N</c>: which parameters train. <c>head</c> trains the head (and the auxiliary
/// head) only. <c>last-N</c> trains the last N of the backbone's top-level blocks (<see cref="ArchDefinition.Blocks"/>)
/// and every parameter registered after the first of them (the layers between the last block and the head, e.g.
/// Xception's conv3/conv4), plus the heads. Everything else gets requires_grad = false, and its BatchNorm layers stay
/// in eval mode during training (<see cref="FreezeBatchNorm"/> after each <c>model.train()</c>) so their running
/// statistics do not move either.
/// </summary>
internal sealed class TrainablePolicy
{
    private readonly HashSet<string>? _trainable;

    private TrainablePolicy(HashSet<string>? trainable) => _trainable = trainable;

    /// <summary>Names of the parameters that train; null for <c>all</c>.</summary>
    public IReadOnlySet<string>? TrainableParameters => _trainable;

    public static TrainablePolicy For(string trainable, ArchDefinition arch, nn.Module model)
    {
        if (trainable == "all") return new TrainablePolicy(null);
        var names = model.named_parameters().Select(p => p.name).ToList();
        var set = names.Where(arch.IsHeadKey).ToHashSet();
        if (trainable != "head")
        {
            var n = Trainable.LastBlocks(trainable) ?? throw new ArgumentException($"unknown trainable policy '{trainable}'");
            var blocks = arch.Blocks(model);
            if (n > blocks.Count)
                throw new ArgumentException($"trainable: {trainable}, but {arch.Name} has {blocks.Count} blocks ({string.Join(", ", blocks)})");
            var first = blocks[blocks.Count - n];
            var start = names.FindIndex(name => name.StartsWith(first + ".", StringComparison.Ordinal));
            if (start >= 0) set.UnionWith(names.Skip(start));
        }
        return new TrainablePolicy(set);
    }

    public bool Trains(string parameterName) => _trainable is null || _trainable.Contains(parameterName);

    /// <summary>Sets requires_grad on every parameter; returns how many parameter elements train.</summary>
    public long Apply(nn.Module model)
    {
        long count = 0;
        foreach (var (name, parameter) in model.named_parameters())
        {
            var trains = Trains(name);
            parameter.requires_grad = trains;
            if (trains) count += parameter.numel();
        }
        return count;
    }

    /// <summary>How many parameter elements this policy trains, without changing the model.</summary>
    public long Count(nn.Module model) => model.named_parameters().Where(p => Trains(p.name)).Sum(p => p.parameter.numel());

    /// <summary>Puts the BatchNorm layers whose parameters are frozen in eval mode; call after every <c>model.train()</c>.</summary>
    public void FreezeBatchNorm(nn.Module model)
    {
        if (_trainable is null) return;
        foreach (var (name, module) in model.named_modules())
        {
            if (module is not TorchSharp.Modules.BatchNorm) continue;
            var own = module.named_parameters().Select(p => $"{name}.{p.name}").ToList();
            if (own.Count == 0 || !own.Any(_trainable.Contains)) module.eval();
        }
    }
}
