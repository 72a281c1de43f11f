namespace Runner.Core.Publishing;

/// <summary><c>--comment</c>: none; the pull request; the source commit; auto: the pull request when there is one, else the commit.</summary>
public enum CommentTarget { None, Pr, Commit, Auto }
