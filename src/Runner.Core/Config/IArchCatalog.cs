namespace Runner.Core.Config;

/// <summary>What the config layer needs to know about model architectures (implemented where models live).</summary>
public interface IArchCatalog
{
    IReadOnlyCollection<string> Names { get; }
    int DefaultImageSize(string arch);

    /// <summary>The default image size with <paramref name="weights"/>: a release tag fine-tuned at another size brings its own.</summary>
    int DefaultImageSize(string arch, string weights) => DefaultImageSize(arch);

    /// <summary>The smallest input the architecture can run on (in training).</summary>
    int MinImageSize(string arch) => 1;

    /// <summary>
    /// Why the architecture cannot run at <paramref name="size"/> ("vit_b_16 needs an image_size that is a multiple of 16…"), or null.
    /// </summary>
    string? ImageSizeProblem(string arch, int size) =>
        size < MinImageSize(arch) ? $"{arch} needs image_size ≥ {MinImageSize(arch)}, got {size}" : null;

    /// <summary>How many top-level blocks <c>trainable: last-N</c> can count in the architecture; null when unknown.</summary>
    int? TrainableBlocks(string arch) => null;

    /// <summary>The stochastic depth rate the architecture trains with unless <c>drop_path</c> says otherwise; null when it has none.</summary>
    double? DefaultDropPath(string arch) => null;
}
