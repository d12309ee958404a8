using Zk0.Federation.Normalization;

namespace Zk0.SuperLink.State;

public enum RunState { Pending, Running, Completed, Failed, Stopped }

public enum RoundPhase { Training, Evaluating, Completed }

/// <param name="KeyId">The verified node key the node registered with; empty when node authentication is off.</param>
/// <param name="DatasetStats">The statistics of the node's state and action it sent; null when it sent none.</param>
public sealed record NodeRegistration(string DatasetId, string Role, long NumExamples, IReadOnlyDictionary<string, string> Capabilities, string DisplayName,
    string KeyId = "", NormalizationStatistics? DatasetStats = null);

public sealed record NodeRecord(
    string NodeId, string DatasetId, string Role, long NumExamples, IReadOnlyDictionary<string, string> Capabilities,
    string DisplayName, long RegisteredUnixMs, long LeaseExpiresUnixMs, string KeyId = "", NormalizationStatistics? DatasetStats = null)
{
    public bool IsOnline(long nowUnixMs) => LeaseExpiresUnixMs > nowUnixMs;
}

public sealed record RunRecord(
    string RunId, RunState State, IReadOnlyDictionary<string, string> Config, long CreatedUnixMs, long FinishedUnixMs,
    int CompletedRounds, string GlobalModelHash, string InitialModelHash, string Message, bool StopRequested)
{
    public bool IsTerminal => State is RunState.Completed or RunState.Failed or RunState.Stopped;

    /// <summary>The normalization statistics (JSON) round 1 pooled; null before, or when each node normalizes with its own.</summary>
    public string? Normalization { get; init; }
}

/// <param name="TrainConfigs">
/// The train config each selected node was given (strategy and schedule applied), so a task re-issued after a restart is
/// the same task; null in rounds stored before it was recorded.
/// </param>
public sealed record RoundRecordState(
    string RunId, int Round, RoundPhase Phase, string BaseModelHash, string Traceparent, long StartedUnixMs, long DeadlineUnixMs,
    IReadOnlyList<string> SelectedNodes, string ModelHash, long ModelSizeBytes, IReadOnlyDictionary<string, double> TrainMetrics,
    IReadOnlyList<string> MissingNodes, long EvalDeadlineUnixMs, long FinishedUnixMs,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? TrainConfigs = null);

public sealed record TaskRecord(
    string TaskId, string RunId, int Round, string Kind, string NodeId, string Role, IReadOnlyDictionary<string, string> Config,
    string GlobalModelHash, long GlobalModelSizeBytes, string Traceparent, long DeadlineUnixMs)
{
    /// <summary>The node PullTask handed the task to; empty while it is queued.</summary>
    public string TakenBy { get; init; } = "";
}

/// <summary>Who may take a queued task: one node (<see cref="NodeId"/> set) or any node of <see cref="Role"/>.</summary>
public sealed record TaskQueueOwner(string NodeId, string Role)
{
    public static TaskQueueOwner Of(TaskRecord task) => task.NodeId.Length > 0 ? new(task.NodeId, "") : new("", task.Role);
}

public sealed record TaskResult(
    string TaskId, string NodeId, string DatasetId, int Round, string UpdateHash, long UpdateSizeBytes, long NumExamples,
    IReadOnlyDictionary<string, double> Metrics, string Error, string BaseModelHash, long ReceivedUnixMs);

public sealed record DatasetScore(double Loss, IReadOnlyDictionary<string, double> Metrics, long NumExamples);

public sealed record EvaluationResult(
    double Loss, IReadOnlyDictionary<string, double> Metrics, IReadOnlyDictionary<string, DatasetScore> Datasets, string ModelHash, long RecordedUnixMs);

public sealed record StoredRunEvent(
    string RunId, long Sequence, string Kind, int Round, long UnixMs, string NodeId, string ModelHash, string Message,
    IReadOnlyDictionary<string, double> Metrics, bool Terminal);

/// <summary>The outcome of trying to record a task's result.</summary>
public enum ResultAcceptance { Accepted, UnknownTask, AlreadyReported }
