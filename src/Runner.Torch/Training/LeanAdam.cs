using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Training;

/// <summary>TorchSharp's <see cref="Adam"/> (state, saving and loading unchanged) with <see cref="AdamUpdate"/>'s step.</summary>
internal sealed class LeanAdam(IEnumerable<Parameter> parameters, double lr, double weightDecay)
    : Adam(parameters, lr, weight_decay: weightDecay)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        AdamUpdate.RequirePlain(options.amsgrad!.Value, options.maximize!.Value);
        var weightDecay = options.weight_decay!.Value;
        foreach (var param in group.Parameters)
        {
            using var grad = param.grad;
            if (grad is null) continue;
            var state = (State)_state[param.Handle];
            state.step += 1;
            using var decayed = weightDecay != 0 ? grad.add(param, alpha: weightDecay) : null;
            AdamUpdate.Apply(param, decayed ?? grad, state.exp_avg, state.exp_avg_sq, state.step,
                options.LearningRate!.Value, options.beta1!.Value, options.beta2!.Value, options.eps!.Value);
        }
    }, closure);
}
