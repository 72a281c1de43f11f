namespace Runner.Torch.Evaluation;

/// <summary>What <c>runner predict</c> writes per image.</summary>
public enum PredictionFormat
{
    /// <summary><c>file,c0,c1,…</c> raw logits; a binary head's single logit is the one column <c>c1</c>.</summary>
    Logits,

    /// <summary><c>file,c0,c1,…</c> class probabilities (binary: c0 = 1 − p, c1 = p).</summary>
    Probs,

    /// <summary><c>id,label</c>: the file name without extension and the positive-class probability (two-class heads only).</summary>
    Kaggle,
}
