using Runner.Core.Cache;
using Runner.Core.Execution;
using Runner.Core.Results;
using Runner.Core.Util;
using Runner.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;
using Runner.Core.Planning.Kinds;

namespace Runner.Torch.Training;

/// <summary>A trained model loaded back from its train task's cache entry, in eval mode.</summary>
internal sealed record TrainedModel(Head Head, nn.Module<Tensor, Tensor> Model) : IDisposable
{
    /// <summary>The precision it trained in (train.json; fp32 in older entries). The checkpoint itself is float32 either way.</summary>
    public string Precision { get; init; } = Runner.Core.Config.Precisions.Default;

    /// <summary>The model of the task's backbone, from its <c>train</c> dependency.</summary>
    public static TrainedModel Load(TaskContext context, ArchDefinition arch, Device device) =>
        Load(context.Input(TrainKind.Of(context.Task.Subject!)), arch, device);

    public static TrainedModel Load(CacheEntry train, ArchDefinition arch, Device device)
    {
        var result = Json.Read<TrainResult>(train.PathOf(TrainResult.FileName));
        var head = new Head(result.Classes);
        var model = arch.Create(head.Outputs, result.ImageSize);
        model.load(train.PathOf(TrainResult.Checkpoint));
        model.to(device);
        model.eval();
        return new TrainedModel(head, model) { Precision = result.Precision ?? Runner.Core.Config.Precisions.Default };
    }

    public void Dispose() => Model.Dispose();
}
