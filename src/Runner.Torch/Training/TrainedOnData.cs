using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Core.Execution;
using Runner.Torch.Compute;
using Runner.Torch.Data;
using Runner.Torch.Models;

namespace Runner.Torch.Training;

/// <summary>
/// The common start of a task that runs a trained backbone over the dataset (eval, features): the architecture, the
/// split manifest from the data input, the model from the train input on the device, and batches of its decoded images.
/// It computes in float32 and holds CUDA's TF32 switches as the backbone's training did (off for fp32, on otherwise).
/// </summary>
internal sealed record TrainedOnData(ArchDefinition Arch, SplitManifest Split, TrainedModel Trained, Batches Batches) : IDisposable
{
    private IDisposable? _math;

    public static TrainedOnData Open(TaskContext context, TorchRuntime runtime, ArchRegistry archs, string arch, int imageSize)
    {
        var definition = archs[arch];
        var split = SplitManifest.Of(context);
        var device = runtime.DeviceOf(context);
        var trained = TrainedModel.Load(context, definition, device);
        return new TrainedOnData(definition, split, trained,
            new Batches(DecodedImages.For(split, imageSize), definition.Normalization))
        {
            _math = new ComputeMode(trained.Precision, channelsLast: false, device).Math(context.Cancel),
        };
    }

    public void Dispose()
    {
        Trained.Dispose();
        _math?.Dispose();
    }
}
