using System.Collections;
using static TorchSharp.torch;

namespace Runner.Torch.Weights;

/// <summary>
/// Normalises what weight files contain into a flat state_dict: unwraps training checkpoints
/// (<c>{"state_dict": …}</c>, <c>{"model": …}</c>, …) and strips DataParallel's <c>module.</c> prefix.
/// </summary>
internal static class StateDicts
{
    /// <summary>Keys under which training scripts commonly keep the model's state_dict, in order of preference.</summary>
    public static readonly IReadOnlyList<string> WrapperKeys =
        ["state_dict", "model_state_dict", "model", "module", "net", "network", "model_ema", "state_dict_ema"];

    public const string DataParallelPrefix = "module.";

    /// <summary>
    /// The state_dict inside an unpickled object: the object itself when its values are tensors (of type
    /// <typeparamref name="T"/>: not yet read), else the first <see cref="WrapperKeys"/> entry (searched a few levels deep)
    /// that holds tensors. <paramref name="path"/> names the file in messages.
    /// </summary>
    public static Dictionary<string, T> Unwrap<T>(IDictionary root, string path, out string? wrapper) where T : class
    {
        var found = Find<T>(root, depth: 0, trail: null, out wrapper);
        if (found is null)
        {
            var keys = root.Keys.Cast<object>().Select(k => k?.ToString() ?? "None").OrderBy(k => k, StringComparer.Ordinal).ToList();
            throw new WeightsFormatException(
                $"{path}: no state_dict found: the file holds no tensors under string keys, nor under any of " +
                $"{string.Join(", ", WrapperKeys.Select(k => $"'{k}'"))} (top-level keys: {Preview(keys, 10)})");
        }
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in found)
            if (entry.Key is string key && entry.Value is T tensor)
                result[key] = tensor;
        return result;
    }

    /// <summary>Strips <paramref name="prefix"/> when every key has it (a model saved from <c>nn.DataParallel</c>).</summary>
    public static Dictionary<string, T> StripCommonPrefix<T>(Dictionary<string, T> stateDict, string prefix = DataParallelPrefix)
    {
        if (stateDict.Count == 0 || !stateDict.Keys.All(k => k.StartsWith(prefix, StringComparison.Ordinal))) return stateDict;
        return stateDict.ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value, StringComparer.Ordinal);
    }

    /// <summary>Unwrap, then strip <c>module.</c>: what the torch.save format applies to what it unpickled.</summary>
    public static Dictionary<string, T> Normalize<T>(IDictionary root, string path) where T : class =>
        StripCommonPrefix(Unwrap<T>(root, path, out _));

    public static void Dispose(IEnumerable<Tensor> tensors)
    {
        foreach (var tensor in tensors) tensor.Dispose();
    }

    internal static string Preview(IReadOnlyCollection<string> items, int max) =>
        items.Count == 0 ? "none"
        : string.Join(", ", items.Take(max)) + (items.Count > max ? $", … and {items.Count - max} more" : "");

    private static IDictionary? Find<T>(IDictionary dict, int depth, string? trail, out string? wrapper)
    {
        wrapper = trail;
        var hasTensors = dict.Values.Cast<object?>().Any(v => v is T);
        var wrapped = WrapperKeys.Where(dict.Contains).Select(k => (Key: k, Value: dict[k] as IDictionary)).Where(w => w.Value is not null).ToList();
        // A plain state_dict: tensors and no wrapper entry (a real state_dict never has a dict-valued "model" key).
        if (hasTensors && wrapped.Count == 0) return dict;
        if (depth < 3)
            foreach (var (key, inner) in wrapped)
                if (Find<T>(inner!, depth + 1, trail is null ? key : $"{trail}.{key}", out var innerWrapper) is { } found)
                {
                    wrapper = innerWrapper;
                    return found;
                }
        wrapper = trail;
        return hasTensors ? dict : null;
    }
}
