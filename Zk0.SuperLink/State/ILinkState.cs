namespace Zk0.SuperLink.State;

/// <summary>
/// Everything the SuperLink remembers (Flower's LinkState idea): nodes and their leases, runs, rounds, tasks,
/// results, evaluations, events and the per-run leader lease. Nothing that matters lives in process memory,
/// so any replica can answer any request and a restarted SuperLink resumes where the last one stopped.
/// </summary>
public interface ILinkState
{
    /// <summary>Registers a node unless <paramref name="maxNodes"/> records are kept already; null then.</summary>
    Task<NodeRecord?> RegisterNodeAsync(NodeRegistration registration, TimeSpan lease, int maxNodes, CancellationToken ct = default);
    /// <summary>Extends the lease; null when the node is unknown.</summary>
    Task<long?> RenewNodeLeaseAsync(string nodeId, TimeSpan lease, CancellationToken ct = default);
    /// <summary>Ends the leases of these nodes now (their key was unregistered); unknown ids are skipped.</summary>
    Task ExpireNodeLeasesAsync(IReadOnlyCollection<string> nodeIds, CancellationToken ct = default);
    Task<NodeRecord?> GetNodeAsync(string nodeId, CancellationToken ct = default);
    Task<IReadOnlyList<NodeRecord>> ListNodesAsync(bool includeExpired, CancellationToken ct = default);
    /// <summary>Up to <paramref name="take"/> nodes whose id sorts after <paramref name="afterNodeId"/> (null: from the first), in id order.</summary>
    Task<IReadOnlyList<NodeRecord>> ListNodesAfterAsync(bool includeExpired, string? afterNodeId, int take, CancellationToken ct = default);
    /// <summary>Deletes the nodes whose lease expired before <paramref name="leaseExpiredBeforeUnixMs"/> (and their queues); returns how many.</summary>
    Task<int> ForgetNodesAsync(long leaseExpiredBeforeUnixMs, CancellationToken ct = default);

    Task<RunRecord> CreateRunAsync(IReadOnlyDictionary<string, string> config, CancellationToken ct = default);
    Task<RunRecord?> GetRunAsync(string runId, CancellationToken ct = default);
    /// <summary>Every run, oldest first.</summary>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(CancellationToken ct = default);
    /// <summary>Up to <paramref name="take"/> runs after <paramref name="afterRunId"/> (null: from the first), oldest first; null when that run is unknown.</summary>
    Task<IReadOnlyList<RunRecord>?> ListRunsAfterAsync(string? afterRunId, int take, CancellationToken ct = default);
    Task<IReadOnlyList<string>> ListActiveRunIdsAsync(CancellationToken ct = default);
    /// <summary>Moves a run to <paramref name="state"/> unless it already ended; returns false when it had.</summary>
    Task<bool> SetRunStateAsync(string runId, RunState state, string message, CancellationToken ct = default);
    Task RequestStopAsync(string runId, string reason, CancellationToken ct = default);
    Task SetInitialModelAsync(string runId, string modelHash, CancellationToken ct = default);
    Task SetRunProgressAsync(string runId, int completedRounds, string globalModelHash, CancellationToken ct = default);
    /// <summary>The init task of a run, kept so a restarted SuperLink waits for it instead of issuing another.</summary>
    Task SetRunInitTaskAsync(string runId, string taskId, CancellationToken ct = default);
    Task<string?> GetRunInitTaskAsync(string runId, CancellationToken ct = default);
    /// <summary>
    /// Keeps the run's normalization statistics (JSON) unless it has some already; returns those it has now, so two
    /// replicas that pooled at once agree on the first.
    /// </summary>
    Task<string> KeepRunNormalizationAsync(string runId, string normalizationJson, CancellationToken ct = default);
    /// <summary>The run's normalization statistics (JSON) as kept; null before round 1 pooled them.</summary>
    Task<string?> GetRunNormalizationAsync(string runId, CancellationToken ct = default);
    /// <summary>Counts one more failure of a run's driver in a row (whichever replica drove it); returns the count.</summary>
    Task<int> CountDriverFailureAsync(string runId, CancellationToken ct = default);
    /// <summary>The run made progress: its driver's failures in a row start again from zero.</summary>
    Task ResetDriverFailuresAsync(string runId, CancellationToken ct = default);

    /// <summary>Remembers, for <paramref name="retention"/>, that a node uploaded a blob for a run (a result may only name such a blob).</summary>
    Task RecordUploadAsync(string runId, string nodeId, string sha256, TimeSpan retention, CancellationToken ct = default);
    Task<bool> WasUploadedByAsync(string runId, string nodeId, string sha256, CancellationToken ct = default);

    Task SaveRoundAsync(RoundRecordState round, CancellationToken ct = default);
    Task<RoundRecordState?> GetRoundAsync(string runId, int round, CancellationToken ct = default);

    /// <summary>
    /// Queues tasks (a round's, say) in one transaction, then announces them to <see cref="SubscribeTaskQueuesAsync"/>:
    /// once a notice arrives, its task can be pulled.
    /// </summary>
    Task CreateTasksAsync(IReadOnlyList<TaskRecord> tasks, CancellationToken ct = default);
    Task<TaskRecord?> GetTaskAsync(string taskId, CancellationToken ct = default);
    /// <summary>
    /// Hands out the node's next task (its own queue first, then its role's shared queue) and records the node as its
    /// taker (<see cref="TaskRecord.TakenBy"/>).
    /// </summary>
    Task<TaskRecord?> PullTaskAsync(string nodeId, string role, CancellationToken ct = default);
    /// <summary>
    /// Calls <paramref name="onTaskQueued"/> for every task queued from now on, by any replica, with who may take it; calls
    /// <paramref name="onNoticesLost"/> when the subscription was interrupted, so tasks queued meanwhile went unannounced.
    /// </summary>
    Task<IAsyncDisposable> SubscribeTaskQueuesAsync(Action<TaskQueueOwner> onTaskQueued, Action onNoticesLost, CancellationToken ct = default);

    /// <summary>
    /// Calls <paramref name="reconnected"/> each time the connection to the store comes back after it was lost. A store that
    /// restarted may have come back without writes it had acknowledged (Redis's <c>appendfsync everysec</c> postpones the
    /// AOF write while an fsync is slow), so whatever was built on them must be read again.
    /// </summary>
    IDisposable OnReconnected(Action reconnected);
    /// <summary>Records a task's result exactly once and appends it to its round's arrivals.</summary>
    Task<ResultAcceptance> RecordResultAsync(string runId, TaskResult result, CancellationToken ct = default);
    /// <summary>Results of a run's round in arrival order, from <paramref name="fromIndex"/> on.</summary>
    Task<IReadOnlyList<TaskResult>> GetResultsAsync(string runId, int round, int fromIndex = 0, CancellationToken ct = default);

    /// <summary>
    /// Stores a round's server evaluation and appends <paramref name="recorded"/> to the run's events, both or neither,
    /// once; false when one was already recorded (so the events name each round's evaluation once).
    /// </summary>
    Task<bool> RecordEvaluationAsync(string runId, int round, EvaluationResult evaluation, StoredRunEvent recorded, CancellationToken ct = default);
    Task<EvaluationResult?> GetEvaluationAsync(string runId, int round, CancellationToken ct = default);

    Task<StoredRunEvent> AppendEventAsync(StoredRunEvent runEvent, CancellationToken ct = default);
    /// <summary>Appends events of one run in one step, in their order; returns them with their sequences.</summary>
    Task<IReadOnlyList<StoredRunEvent>> AppendEventsAsync(IReadOnlyList<StoredRunEvent> runEvents, CancellationToken ct = default);
    Task<IReadOnlyList<StoredRunEvent>> ReadEventsAsync(string runId, long afterSequence, CancellationToken ct = default);
    /// <summary>Calls <paramref name="onChange"/> whenever something is recorded for the run (event, result, evaluation, stop).</summary>
    Task<IAsyncDisposable> SubscribeAsync(string runId, Action onChange, CancellationToken ct = default);

    /// <summary>Takes or renews the lease that makes <paramref name="ownerId"/> the only replica driving the run.</summary>
    Task<bool> TryAcquireRunLeadershipAsync(string runId, string ownerId, TimeSpan lease, CancellationToken ct = default);
    Task ReleaseRunLeadershipAsync(string runId, string ownerId, CancellationToken ct = default);
}
