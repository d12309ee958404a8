using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace Zk0.SuperLink.State;

/// <summary>
/// <see cref="ILinkState"/> on any Redis-protocol server (Garnet or redis-server): strings, hashes, lists, sets,
/// sorted sets, pub/sub and Lua only — no streams, which Garnet lacks.
/// </summary>
public sealed class RedisLinkState(IConnectionMultiplexer redis, TimeProvider clock, string keyPrefix = "zk0") : ILinkState
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly RedisKeys _keys = new(keyPrefix);
    private IDatabase Db => redis.GetDatabase();
    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<NodeRecord?> RegisterNodeAsync(NodeRegistration registration, TimeSpan lease, int maxNodes, CancellationToken ct = default)
    {
        var now = Now;
        var node = new NodeRecord($"node-{Guid.NewGuid():N}"[..17], registration.DatasetId, registration.Role, registration.NumExamples,
            registration.Capabilities, registration.DisplayName, now, now + (long)lease.TotalMilliseconds, registration.KeyId, registration.DatasetStats);
        var registered = (int)await Db.ScriptEvaluateAsync(RedisScripts.RegisterNode, [_keys.Node(node.NodeId), _keys.NodeLeases],
            [Serialize(node with { LeaseExpiresUnixMs = 0 }), node.NodeId, node.LeaseExpiresUnixMs, maxNodes]);
        return registered == 1 ? node : null;
    }

    public async Task<long?> RenewNodeLeaseAsync(string nodeId, TimeSpan lease, CancellationToken ct = default)
    {
        var expires = Now + (long)lease.TotalMilliseconds;
        var renewed = (int)await Db.ScriptEvaluateAsync(RedisScripts.RenewLease, [_keys.Node(nodeId), _keys.NodeLeases], [nodeId, expires]);
        return renewed == 1 ? expires : null;
    }

    public async Task ExpireNodeLeasesAsync(IReadOnlyCollection<string> nodeIds, CancellationToken ct = default)
    {
        if (nodeIds.Count == 0) return;
        // XX: only nodes still listed; a lease that ends now makes them offline, and their next call is refused.
        await Db.SortedSetAddAsync(_keys.NodeLeases, nodeIds.Select(id => new SortedSetEntry(id, Now)).ToArray(), SortedSetWhen.Exists);
    }

    public async Task<NodeRecord?> GetNodeAsync(string nodeId, CancellationToken ct = default)
    {
        // Both reads go out together: one round trip.
        var json = Db.StringGetAsync(_keys.Node(nodeId));
        var lease = Db.SortedSetScoreAsync(_keys.NodeLeases, nodeId);
        await Task.WhenAll(json, lease);
        return json.Result.IsNull ? null : Deserialize<NodeRecord>(json.Result) with { LeaseExpiresUnixMs = (long)(lease.Result ?? 0) };
    }

    public async Task<IReadOnlyList<NodeRecord>> ListNodesAsync(bool includeExpired, CancellationToken ct = default) =>
        (await ReadNodesAsync(await LeasesAsync(includeExpired)))
            .OrderBy(n => n.RegisteredUnixMs).ThenBy(n => n.NodeId, StringComparer.Ordinal).ToList();

    public async Task<IReadOnlyList<NodeRecord>> ListNodesAfterAsync(bool includeExpired, string? afterNodeId, int take, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        // Only ids and leases are read for all nodes; records only for the page.
        var page = (await LeasesAsync(includeExpired))
            .Where(e => afterNodeId is null || string.CompareOrdinal(e.Element.ToString(), afterNodeId) > 0)
            .OrderBy(e => e.Element.ToString(), StringComparer.Ordinal)
            .Take(take).ToArray();
        return await ReadNodesAsync(page);
    }

    private async Task<SortedSetEntry[]> LeasesAsync(bool includeExpired) => includeExpired
        ? await Db.SortedSetRangeByRankWithScoresAsync(_keys.NodeLeases)
        : await Db.SortedSetRangeByScoreWithScoresAsync(_keys.NodeLeases, Now, double.PositiveInfinity, Exclude.Start);

    private async Task<List<NodeRecord>> ReadNodesAsync(SortedSetEntry[] leases)
    {
        if (leases.Length == 0) return [];
        var values = await Db.StringGetAsync(leases.Select(e => (RedisKey)_keys.Node(e.Element!)).ToArray());
        var nodes = new List<NodeRecord>(leases.Length);
        for (var i = 0; i < leases.Length; i++)
            if (!values[i].IsNull)
                nodes.Add(Deserialize<NodeRecord>(values[i]) with { LeaseExpiresUnixMs = (long)leases[i].Score });
        return nodes;
    }

    public async Task<int> ForgetNodesAsync(long leaseExpiredBeforeUnixMs, CancellationToken ct = default)
    {
        const int batch = 500;
        var forgotten = 0;
        while (true)
        {
            var stale = await Db.SortedSetRangeByScoreAsync(_keys.NodeLeases, double.NegativeInfinity, leaseExpiredBeforeUnixMs, Exclude.Stop, take: batch);
            if (stale.Length == 0) return forgotten;
            var outcomes = await Task.WhenAll(stale.Select(id => Db.ScriptEvaluateAsync(RedisScripts.ForgetNode,
                [_keys.Node(id!), _keys.NodeLeases, _keys.NodeQueue(id!)], [id, leaseExpiredBeforeUnixMs])));
            var now = outcomes.Count(o => (int)o == 1);
            forgotten += now;
            // A listed node that renewed meanwhile stays; if a whole batch did, the rest waits for the next sweep.
            if (stale.Length < batch || now == 0) return forgotten;
        }
    }

    public async Task<RunRecord> CreateRunAsync(IReadOnlyDictionary<string, string> config, CancellationToken ct = default)
    {
        var now = Now;
        var runId = $"run-{DateTimeOffset.FromUnixTimeMilliseconds(now):yyyyMMdd-HHmmss}-{Guid.NewGuid():N}"[..29];
        var tx = Db.CreateTransaction();
        _ = tx.HashSetAsync(_keys.Run(runId), [
            new("config", Serialize(config)), new("state", nameof(RunState.Pending)), new("created", now),
            new("finished", 0), new("completed", 0), new("global", ""), new("initial", ""), new("message", ""), new("stop", 0),
        ]);
        _ = tx.SortedSetAddAsync(_keys.Runs, runId, now);
        _ = tx.SetAddAsync(_keys.ActiveRuns, runId);
        await tx.ExecuteAsync();
        return (await GetRunAsync(runId, ct))!;
    }

    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken ct = default) =>
        ToRun(runId, await Db.HashGetAllAsync(_keys.Run(runId)));

    private static RunRecord? ToRun(string runId, HashEntry[] entries)
    {
        var fields = entries.ToDictionary(e => e.Name.ToString(), e => e.Value);
        if (!fields.ContainsKey("state")) return null;
        return new RunRecord(runId, Enum.Parse<RunState>(fields["state"]!),
            Deserialize<Dictionary<string, string>>(fields["config"]), (long)fields["created"], (long)fields["finished"],
            (int)fields["completed"], fields["global"]!, fields["initial"]!, fields["message"]!, (int)fields["stop"] != 0)
        {
            Normalization = fields.TryGetValue("normalization", out var normalization) ? normalization.ToString() : null,
        };
    }

    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(CancellationToken ct = default) =>
        await ReadRunsAsync(await Db.SortedSetRangeByRankAsync(_keys.Runs));

    public async Task<IReadOnlyList<RunRecord>?> ListRunsAfterAsync(string? afterRunId, int take, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        long start = 0;
        if (afterRunId is not null)
        {
            if (await Db.SortedSetRankAsync(_keys.Runs, afterRunId) is not { } rank) return null;
            start = rank + 1;
        }
        return await ReadRunsAsync(await Db.SortedSetRangeByRankAsync(_keys.Runs, start, start + take - 1));
    }

    // One pipelined read for all of them, not a round trip per run.
    private async Task<IReadOnlyList<RunRecord>> ReadRunsAsync(RedisValue[] ids)
    {
        var reads = ids.Select(id => Db.HashGetAllAsync(_keys.Run(id.ToString()))).ToArray();
        var entries = await Task.WhenAll(reads);
        var runs = new List<RunRecord>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
            if (ToRun(ids[i].ToString(), entries[i]) is { } run) runs.Add(run);
        return runs;
    }

    public async Task<IReadOnlyList<string>> ListActiveRunIdsAsync(CancellationToken ct = default) =>
        (await Db.SetMembersAsync(_keys.ActiveRuns)).Select(v => v.ToString()).Order(StringComparer.Ordinal).ToList();

    public async Task<bool> SetRunStateAsync(string runId, RunState state, string message, CancellationToken ct = default)
    {
        var terminal = state is RunState.Completed or RunState.Failed or RunState.Stopped;
        var outcome = (int)await Db.ScriptEvaluateAsync(RedisScripts.SetRunState,
            [_keys.Run(runId), _keys.ActiveRuns], [state.ToString(), message, terminal ? Now : 0, runId]);
        if (outcome < 0) throw new KeyNotFoundException($"Run '{runId}' does not exist.");
        await NotifyAsync(runId);
        return outcome == 1;
    }

    public async Task RequestStopAsync(string runId, string reason, CancellationToken ct = default)
    {
        await Db.HashSetAsync(_keys.Run(runId), [new("stop", 1), new("stopReason", reason)]);
        await NotifyAsync(runId);
    }

    public Task SetInitialModelAsync(string runId, string modelHash, CancellationToken ct = default) =>
        Db.HashSetAsync(_keys.Run(runId), [new("initial", modelHash), new("global", modelHash)]);

    public Task SetRunProgressAsync(string runId, int completedRounds, string globalModelHash, CancellationToken ct = default) =>
        Db.HashSetAsync(_keys.Run(runId), [new("completed", completedRounds), new("global", globalModelHash)]);

    public Task SetRunInitTaskAsync(string runId, string taskId, CancellationToken ct = default) =>
        Db.HashSetAsync(_keys.Run(runId), "initTask", taskId);

    public async Task<string> KeepRunNormalizationAsync(string runId, string normalizationJson, CancellationToken ct = default)
    {
        await Db.HashSetAsync(_keys.Run(runId), "normalization", normalizationJson, When.NotExists);
        return (await GetRunNormalizationAsync(runId, ct))!;
    }

    public async Task<string?> GetRunNormalizationAsync(string runId, CancellationToken ct = default)
    {
        var value = await Db.HashGetAsync(_keys.Run(runId), "normalization");
        return value.IsNullOrEmpty ? null : value.ToString();
    }

    public async Task<string?> GetRunInitTaskAsync(string runId, CancellationToken ct = default)
    {
        var value = await Db.HashGetAsync(_keys.Run(runId), "initTask");
        return value.IsNullOrEmpty ? null : value.ToString();
    }

    public async Task<int> CountDriverFailureAsync(string runId, CancellationToken ct = default) =>
        (int)await Db.HashIncrementAsync(_keys.Run(runId), "driverFailures");

    public Task ResetDriverFailuresAsync(string runId, CancellationToken ct = default) =>
        Db.HashDeleteAsync(_keys.Run(runId), "driverFailures");

    public Task RecordUploadAsync(string runId, string nodeId, string sha256, TimeSpan retention, CancellationToken ct = default) =>
        Db.StringSetAsync(_keys.Upload(runId, nodeId, sha256), 1, retention);

    public Task<bool> WasUploadedByAsync(string runId, string nodeId, string sha256, CancellationToken ct = default) =>
        Db.KeyExistsAsync(_keys.Upload(runId, nodeId, sha256));

    public Task SaveRoundAsync(RoundRecordState round, CancellationToken ct = default) =>
        Db.StringSetAsync(_keys.Round(round.RunId, round.Round), Serialize(round));

    public async Task<RoundRecordState?> GetRoundAsync(string runId, int round, CancellationToken ct = default)
    {
        var json = await Db.StringGetAsync(_keys.Round(runId, round));
        return json.IsNull ? null : Deserialize<RoundRecordState>(json);
    }

    public async Task CreateTasksAsync(IReadOnlyList<TaskRecord> tasks, CancellationToken ct = default)
    {
        if (tasks.Count == 0) return;
        var tx = Db.CreateTransaction();
        foreach (var task in tasks)
        {
            _ = tx.HashSetAsync(_keys.Task(task.TaskId), "task", Serialize(task));
            _ = tx.ListRightPushAsync(_keys.QueueOf(task), task.TaskId);
        }
        await tx.ExecuteAsync();
        // Announced only once queued, so a pull the notice wakes finds its task.
        await redis.GetSubscriber().PublishAsync(TasksQueuedChannel, TaskQueueNotices.Encode(tasks.Select(TaskQueueOwner.Of)));
    }

    public async Task<TaskRecord?> GetTaskAsync(string taskId, CancellationToken ct = default)
    {
        var fields = await Db.HashGetAsync(_keys.Task(taskId), ["task", "taker"]);
        return fields[0].IsNull ? null : Deserialize<TaskRecord>(fields[0]) with { TakenBy = fields[1].IsNull ? "" : fields[1].ToString() };
    }

    public async Task<TaskRecord?> PullTaskAsync(string nodeId, string role, CancellationToken ct = default)
    {
        foreach (var queue in new[] { _keys.NodeQueue(nodeId), _keys.RoleQueue(role) })
        {
            while (true)
            {
                var taskId = await Db.ListLeftPopAsync(queue);
                if (taskId.IsNull) break;
                var task = await GetTaskAsync(taskId!, ct);
                // Tasks of ended runs or past their deadline are dropped: the round has moved on without them.
                if (task is null || task.DeadlineUnixMs <= Now || !await Db.SetContainsAsync(_keys.ActiveRuns, task.RunId)) continue;
                // So is an evaluate task re-issued for a round another evaluator has evaluated meanwhile.
                if (task.Kind == Rounds.TaskKinds.Evaluate && await Db.KeyExistsAsync(_keys.Evaluation(task.RunId, task.Round))) continue;
                // And a train task of a round that closed while its node was away (a lost node back with its old id).
                if (task.Kind == Rounds.TaskKinds.Train && await GetRoundAsync(task.RunId, task.Round, ct) is { Phase: not RoundPhase.Training }) continue;
                // Recorded before the node hears of the task, so whatever it reports can be checked against it.
                await Db.HashSetAsync(_keys.Task(task.TaskId), "taker", nodeId);
                return task with { TakenBy = nodeId };
            }
        }
        return null;
    }

    public async Task<ResultAcceptance> RecordResultAsync(string runId, TaskResult result, CancellationToken ct = default)
    {
        var outcome = (int)await Db.ScriptEvaluateAsync(RedisScripts.RecordResult,
            [_keys.Task(result.TaskId), _keys.Results(runId, result.Round)], [Serialize(result)]);
        if (outcome == 1) await NotifyAsync(runId);
        return outcome switch { 1 => ResultAcceptance.Accepted, 2 => ResultAcceptance.AlreadyReported, _ => ResultAcceptance.UnknownTask };
    }

    public async Task<IReadOnlyList<TaskResult>> GetResultsAsync(string runId, int round, int fromIndex = 0, CancellationToken ct = default) =>
        (await Db.ListRangeAsync(_keys.Results(runId, round), fromIndex)).Select(v => Deserialize<TaskResult>(v)).ToList();

    public async Task<bool> RecordEvaluationAsync(string runId, int round, EvaluationResult evaluation, StoredRunEvent recorded, CancellationToken ct = default)
    {
        var stored = (int)await Db.ScriptEvaluateAsync(RedisScripts.RecordEvaluation, [_keys.Evaluation(runId, round), _keys.Events(runId)],
            [Serialize(evaluation), Serialize(recorded with { Sequence = 0 })]) == 1;
        if (stored) await NotifyAsync(runId);
        return stored;
    }

    public async Task<EvaluationResult?> GetEvaluationAsync(string runId, int round, CancellationToken ct = default)
    {
        var json = await Db.StringGetAsync(_keys.Evaluation(runId, round));
        return json.IsNull ? null : Deserialize<EvaluationResult>(json);
    }

    public async Task<StoredRunEvent> AppendEventAsync(StoredRunEvent runEvent, CancellationToken ct = default) =>
        (await AppendEventsAsync([runEvent], ct))[0];

    public async Task<IReadOnlyList<StoredRunEvent>> AppendEventsAsync(IReadOnlyList<StoredRunEvent> runEvents, CancellationToken ct = default)
    {
        if (runEvents.Count == 0) return [];
        var runId = runEvents[0].RunId;
        if (runEvents.Any(e => e.RunId != runId))
            throw new ArgumentException($"AppendEventsAsync appends the events of one run, but got runs {string.Join(", ", runEvents.Select(e => e.RunId).Distinct())}.", nameof(runEvents));
        // A sequence is the event's 1-based position in the run's list; one RPUSH of all events keeps them consecutive.
        var length = await Db.ListRightPushAsync(_keys.Events(runId), runEvents.Select(e => (RedisValue)Serialize(e with { Sequence = 0 })).ToArray());
        await NotifyAsync(runId);
        return runEvents.Select((e, i) => e with { Sequence = length - runEvents.Count + i + 1 }).ToList();
    }

    public async Task<IReadOnlyList<StoredRunEvent>> ReadEventsAsync(string runId, long afterSequence, CancellationToken ct = default)
    {
        var values = await Db.ListRangeAsync(_keys.Events(runId), afterSequence);
        return values.Select((v, i) => Deserialize<StoredRunEvent>(v) with { Sequence = afterSequence + i + 1 }).ToList();
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string runId, Action onChange, CancellationToken ct = default)
    {
        var channel = RedisChannel.Literal(_keys.Changes(runId));
        var subscriber = redis.GetSubscriber();
        Action<RedisChannel, RedisValue> handler = (_, _) => onChange();
        await subscriber.SubscribeAsync(channel, handler);
        return new Subscription(() => subscriber.UnsubscribeAsync(channel, handler));
    }

    public async Task<IAsyncDisposable> SubscribeTaskQueuesAsync(Action<TaskQueueOwner> onTaskQueued, Action onNoticesLost, CancellationToken ct = default)
    {
        var subscriber = redis.GetSubscriber();
        Action<RedisChannel, RedisValue> handler = (_, message) =>
        {
            foreach (var owner in TaskQueueNotices.Decode(message.ToString())) onTaskQueued(owner);
        };
        EventHandler<ConnectionFailedEventArgs> restored = (_, _) => onNoticesLost();
        redis.ConnectionRestored += restored;
        await subscriber.SubscribeAsync(TasksQueuedChannel, handler);
        return new Subscription(async () =>
        {
            redis.ConnectionRestored -= restored;
            await subscriber.UnsubscribeAsync(TasksQueuedChannel, handler);
        });
    }

    public IDisposable OnReconnected(Action reconnected)
    {
        // Once per reconnection: the subscription connection comes back too and raises the event again.
        EventHandler<ConnectionFailedEventArgs> restored = (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive) reconnected();
        };
        redis.ConnectionRestored += restored;
        return new Unsubscription(() => redis.ConnectionRestored -= restored);
    }

    private sealed class Unsubscription(Action unsubscribe) : IDisposable
    {
        public void Dispose() => unsubscribe();
    }

    public async Task<bool> TryAcquireRunLeadershipAsync(string runId, string ownerId, TimeSpan lease, CancellationToken ct = default) =>
        (int)await Db.ScriptEvaluateAsync(RedisScripts.AcquireLeadership, [_keys.Leadership(runId)], [ownerId, (long)lease.TotalMilliseconds]) == 1;

    public Task ReleaseRunLeadershipAsync(string runId, string ownerId, CancellationToken ct = default) =>
        Db.ScriptEvaluateAsync(RedisScripts.ReleaseLeadership, [_keys.Leadership(runId)], [ownerId]);

    private RedisChannel TasksQueuedChannel => RedisChannel.Literal(_keys.TasksQueued);

    private Task NotifyAsync(string runId) =>
        redis.GetSubscriber().PublishAsync(RedisChannel.Literal(_keys.Changes(runId)), "changed");

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    private static T Deserialize<T>(RedisValue value) =>
        JsonSerializer.Deserialize<T>(value.ToString(), Json) ?? throw new InvalidDataException($"Redis held an empty {typeof(T).Name}.");

    private sealed class Subscription(Func<Task> unsubscribe) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await unsubscribe();
    }
}
