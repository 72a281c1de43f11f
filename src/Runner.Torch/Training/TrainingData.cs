using Runner.Core.Data;
using Runner.Core.Execution;
using Runner.Torch.Data;
using Runner.Torch.Models;

namespace Runner.Torch.Training;

/// <summary>What a train task reads from its data task: the head for its classes, the decoded images, and the two splits it uses.</summary>
internal sealed record TrainingData(Head Head, Batches Batches, IReadOnlyList<DatasetItem> Train, IReadOnlyList<DatasetItem> Validation)
{
    public static TrainingData Of(TaskContext context, ArchDefinition arch, int imageSize)
    {
        var split = SplitManifest.Of(context);
        return new TrainingData(new Head(split.Classes.Count), new Batches(DecodedImages.For(split, imageSize), arch.Normalization),
            split.In(Splits.Train).ToList(), split.In(Splits.Validation).ToList());
    }
}
