namespace Runner.Core.Data;

/// <summary>
/// Says what is wrong with one image file, or null when it is usable. Called from many threads at once.
/// The data task uses it on every listed image before anything trains; the implementation that decodes lives
/// with OpenCV (Runner.Torch's <c>ImageCheck</c>), <see cref="ImageContainer"/> is the decoder-free fallback.
/// </summary>
public interface IImageValidator
{
    string? Problem(string path);
}
