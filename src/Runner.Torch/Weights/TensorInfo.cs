using static TorchSharp.torch;

namespace Runner.Torch.Weights;

/// <summary>What a weight file declares about one tensor before its data is read: shape and element type.</summary>
internal sealed record TensorInfo(long[] Shape, ScalarType Type);
