namespace Zk0.Federation.Protocol;

/// <summary>How nodes long-poll <c>Fleet.PullTask</c>; the SuperNode and the Evaluator pull the same way.</summary>
public sealed partial class PullTaskRequest
{
    private static readonly TimeSpan AnswerMargin = TimeSpan.FromSeconds(30);

    /// <summary>A pull the SuperLink may hold up to <paramref name="wait"/> until a task for the node is queued.</summary>
    public static PullTaskRequest LongPoll(string nodeId, TimeSpan wait) => new() { NodeId = nodeId, WaitMs = (long)wait.TotalMilliseconds };

    /// <summary>The call's deadline: the wait plus a margin, so a call the network lost fails and is retried instead of hanging.</summary>
    public DateTime AnswerDeadline() => DateTime.UtcNow + TimeSpan.FromMilliseconds(WaitMs) + AnswerMargin;
}

public sealed partial class PullTaskReply
{
    /// <summary>
    /// After an answer without a task: none after a long poll the SuperLink held to its end (retry_after_ms 0), else
    /// the retry_after_ms it asked for, kept within 100 ms..5 s.
    /// </summary>
    public TimeSpan DelayBeforeNextPull => RetryAfterMs == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Clamp(RetryAfterMs, 100, 5000));
}
