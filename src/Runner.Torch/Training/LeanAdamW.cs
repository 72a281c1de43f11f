using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Training;

/// <summary>TorchSharp's <see cref="AdamW"/> (state, saving and loading unchanged) with <see cref="AdamUpdate"/>'s step.</summary>
internal sealed class LeanAdamW(IEnumerable<Parameter> parameters, double lr, double weightDecay)
    : AdamW(parameters, lr, weight_decay: weightDecay)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        AdamUpdate.RequirePlain(options.amsgrad!.Value, options.maximize!.Value);
        var lr = options.LearningRate!.Value;
        foreach (var param in group.Parameters)
        {
            using var grad = param.grad;
            if (grad is null) continue;
            var state = (State)_state[param.Handle];
            state.step += 1;
            param.mul_(1 - lr * options.weight_decay!.Value);
            AdamUpdate.Apply(param, grad, state.exp_avg, state.exp_avg_sq, state.step, lr, options.beta1!.Value, options.beta2!.Value,
                options.eps!.Value);
        }
    }, closure);
}
