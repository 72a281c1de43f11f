namespace Runner.Torch.Models;

/// <summary>
/// Which image sizes an architecture can run at, beyond its minimum: <see cref="Accepts"/> decides, <see cref="Description"/>
/// completes "needs an image_size …" in the message <c>runner validate</c> gives for any other size.
/// </summary>
public sealed record ImageSizeRule(string Description, Func<int, bool> Accepts)
{
    /// <summary>Sizes divisible by <paramref name="multiple"/> (a ViT's patch size: it cuts the image into whole patches).</summary>
    public static ImageSizeRule MultipleOf(int multiple) => new($"that is a multiple of {multiple}", size => size % multiple == 0);

    /// <summary>"nearest that work: 96, 112": the closest accepted sizes below and above <paramref name="size"/>.</summary>
    public string Nearest(int size)
    {
        var below = Enumerable.Range(1, size - 1).Select(d => size - d).FirstOrDefault(Accepts);
        var above = Enumerable.Range(1, 4096).Select(d => size + d).FirstOrDefault(Accepts);
        var sizes = new[] { below, above }.Where(s => s > 0).ToList();
        return sizes.Count == 0 ? "no size near it works" : $"nearest that work: {string.Join(", ", sizes)}";
    }
}
