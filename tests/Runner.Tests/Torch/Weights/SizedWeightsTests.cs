using TorchSharp;
using Runner.Tests.Fixtures;
using Runner.Torch.Evaluation;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using static Runner.Tests.Fixtures.WeightsTestSupport;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Weights;

/// <summary>
/// Weights whose shapes follow the image size (a ViT's position embedding) through every path that loads them: import
/// builds the model at the file's size and the store remembers it; training at another size interpolates the embedding
/// once, as torchvision's <c>interpolate_embeddings</c>; a model fed another size interpolates on the fly the same way.
/// A ViT with 8-px patches, one layer and 16 channels stands in for the registered ones (same classes, smaller numbers).
/// </summary>
public sealed class SizedWeightsTests : WeightsTestBase
{
    private static readonly ArchDefinition TinyVit = new("tiny_vit", 32, Normalization.ImageNet,
        (n, size) => new VisionTransformer(size, 8, 1, 2, 16, 32, n), "heads.head")
    {
        BlockCount = 1,
        BlockPattern = @"^encoder\.layers\.encoder_layer_\d+$",
        SizedWeights = new VisionTransformer.SizedWeights(8),
        ImageSizes = ImageSizeRule.MultipleOf(8),
    };

    /// <summary>Weights made for 48-px images (a 6×6 grid of patches), written as a torch.save file.</summary>
    private (string Path, Dictionary<string, Tensor> State) MadeAt48()
    {
        torch.manual_seed(4);
        var model = Randomized(TinyVit, 5, 48);
        return (SavePy(PathIn("vit48.pth"), model), StateDict(model));
    }

    [Fact]
    public void Import_builds_at_the_files_size_and_the_store_remembers_it()
    {
        var (path, state) = MadeAt48();
        using var imported = WeightsImport.Import(path, TinyVit);
        Assert.Equal(48, imported.ImageSize);
        Assert.Equal([1L, 37, 16], imported.Model.state_dict()["encoder.pos_embedding"].shape);
        Assert.Contains(imported.Notes, n => n.StartsWith("made for 48 px images", StringComparison.Ordinal));

        var entry = Store.Import(path, TinyVit).Entry;
        Assert.Equal(48, entry.Manifest.ImageSize);
        using var predicting = ImagePrediction.LoadModel(TinyVit, entry.Name, Store);
        Assert.True(Equal(state["encoder.pos_embedding"], predicting.Model.state_dict()["encoder.pos_embedding"]));
    }

    /// <summary>
    /// The size a file's shapes say builds the model it is checked against before any tensor is read, so it is bounded: a
    /// grid beyond 64×64 patches is checked against the default size and refused, naming the embedding.
    /// </summary>
    [Fact]
    public void A_file_declaring_a_grid_beyond_the_bound_is_refused_not_built()
    {
        var (_, state) = MadeAt48();
        state["encoder.pos_embedding"] = torch.randn(1, 1 + 65 * 65, 16);
        var path = SavePy(PathIn("vit520.pth"), state);

        var e = Assert.Throws<WeightsMismatchException>(() => WeightsImport.Import(path, TinyVit));
        Assert.Contains("encoder.pos_embedding", e.Message);
        Assert.Contains("[1, 4226, 16]", e.Message);
    }

    [Fact]
    public void Training_at_another_size_interpolates_the_position_embedding_once_and_copies_the_rest()
    {
        var (path, state) = MadeAt48();
        var entry = Store.Import(path, TinyVit).Entry;
        using var expected = VisionTransformer.Resize(state["encoder.pos_embedding"], 4, 4);

        foreach (var weights in new[] { BackboneWeights.Resolve(TinyVit, entry.Name, Store), BackboneWeights.Resolve(TinyVit, path, Store) })
        {
            using var model = TinyVit.Create(2, 32);
            weights.LoadInto(model, TinyVit);
            var loaded = model.state_dict();
            Assert.True(loaded["encoder.pos_embedding"].allclose(expected, rtol: 0, atol: 1e-6));
            Assert.True(Equal(state["class_token"], loaded["class_token"]));
            Assert.True(Equal(state["encoder.layers.encoder_layer_0.self_attention.in_proj_weight"],
                loaded["encoder.layers.encoder_layer_0.self_attention.in_proj_weight"]));
            Assert.Equal([2L, 16], loaded["heads.head.weight"].shape);
        }
    }

    /// <summary>The class token's entry stays; the grid is resized bicubically with aligned corners (corners land on corners).</summary>
    [Fact]
    public void Interpolation_keeps_the_class_token_and_the_grid_corners()
    {
        torch.manual_seed(5);
        using var embedding = torch.randn(1, 1 + 36, 3);
        using var resized = VisionTransformer.Resize(embedding, 10, 10);
        Assert.Equal([1L, 101, 3], resized.shape);
        Assert.True(Equal(embedding.select(1, 0), resized.select(1, 0)));
        Assert.True(embedding.select(1, 1).allclose(resized.select(1, 1), atol: 1e-6));    // top-left patch
        Assert.True(embedding.select(1, 36).allclose(resized.select(1, 100), atol: 1e-6)); // bottom-right patch
        Assert.Throws<ArgumentException>(() => VisionTransformer.Resize(torch.zeros(1, 1 + 35, 3), 4, 4));
    }

    /// <summary>
    /// A model fed another size than it was built for computes what a model built for that size with the interpolated weights does.
    /// </summary>
    [Fact]
    public void Another_input_size_interpolates_on_the_fly_as_loading_does()
    {
        torch.manual_seed(6);
        using var built48 = Randomized(TinyVit, 3, 48);
        using var built32 = TinyVit.Create(3, 32);
        WeightsImport.Copy(built32.state_dict(), built48.state_dict(), sized: TinyVit.SizedWeights);
        built48.eval();
        built32.eval();
        using var _ = torch.no_grad();
        using var input = torch.rand(2, 3, 32, 32);
        using var onTheFly = built48.forward(input);
        using var loaded = built32.forward(input);
        Assert.True(onTheFly.allclose(loaded, rtol: 1e-5, atol: 1e-6));
    }
}
