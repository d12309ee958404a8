using Zk0.SuperLink.State;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.State;

/// <summary>The link-state suite; runs once per Redis-protocol server (Garnet and redis-server).</summary>
public abstract class LinkStateContract(RedisServerFixture redis)
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ILinkState NewState() => NewState($"test-{Guid.NewGuid():N}");
    private ILinkState NewState(string prefix) => new RedisLinkState(redis.Connection, _clock, prefix);

    private static NodeRegistration Trainer(string dataset = "ds-1") =>
        new(dataset, "trainer", 100, new Dictionary<string, string> { ["device"] = "cpu" }, "node");

    private static TaskRecord Task(string taskId, string runId, string nodeId, long deadline, int round = 1, string role = "trainer", string kind = "train") =>
        new(taskId, runId, round, kind, nodeId, role, new Dictionary<string, string> { ["local-steps"] = "5" }, new string('a', 64), 10, "00-trace", deadline);

    private static TaskResult Result(string taskId, string nodeId, int round = 1) =>
        new(taskId, nodeId, "ds-1", round, new string('b', 64), 10, 50, new Dictionary<string, double> { ["loss"] = 0.5 }, "", new string('a', 64), 0);

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    [Fact]
    public async Task RegisteredNodeIsListedOnlineUntilItsLeaseExpires()
    {
        var state = NewState();
        var node = (await state.RegisterNodeAsync(Trainer(), TimeSpan.FromSeconds(10), maxNodes: 10))!;

        var online = await state.ListNodesAsync(includeExpired: false);
        Assert.Equal(node.NodeId, Assert.Single(online).NodeId);
        Assert.Equal("cpu", online[0].Capabilities["device"]);

        _clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Empty(await state.ListNodesAsync(includeExpired: false));
        Assert.Single(await state.ListNodesAsync(includeExpired: true));

        var renewed = await state.RenewNodeLeaseAsync(node.NodeId, TimeSpan.FromSeconds(10));
        Assert.Equal(Now + 10_000, renewed);
        Assert.Single(await state.ListNodesAsync(includeExpired: false));
    }

    [Fact]
    public async Task RegistrationBeyondTheNodeLimitIsRefusedUntilANodeIsForgotten()
    {
        var state = NewState();
        var first = await state.RegisterNodeAsync(Trainer(), TimeSpan.FromSeconds(10), maxNodes: 2);
        Assert.NotNull(await state.RegisterNodeAsync(Trainer(), TimeSpan.FromSeconds(30), maxNodes: 2));

        Assert.Null(await state.RegisterNodeAsync(Trainer(), TimeSpan.FromSeconds(10), maxNodes: 2));
        Assert.Equal(2, (await state.ListNodesAsync(includeExpired: true)).Count);

        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(1, await state.ForgetNodesAsync(Now - 5_000));
        Assert.Null(await state.GetNodeAsync(first!.NodeId));
        Assert.NotNull(await state.RegisterNodeAsync(Trainer(), TimeSpan.FromSeconds(10), maxNodes: 2));
    }

    [Fact]
    public async Task NodesAreForgottenOnlyWhenTheirLeaseExpiredBeforeTheCutoffAndThenCannotRenew()
    {
        var state = NewState();
        var stale = (await state.RegisterNodeAsync(Trainer("ds-stale"), TimeSpan.FromSeconds(1), maxNodes: 10))!;
        var recent = (await state.RegisterNodeAsync(Trainer("ds-recent"), TimeSpan.FromSeconds(10), maxNodes: 10))!;
        var run = await state.CreateRunAsync(new Dictionary<string, string>());
        await state.CreateTasksAsync([Task("t-stale", run.RunId, stale.NodeId, Now + 600_000)]);
        _clock.Advance(TimeSpan.FromSeconds(15));

        // recent's lease expired 5 s ago, stale's 14 s ago: a 10 s retention forgets stale only.
        Assert.Equal(1, await state.ForgetNodesAsync(Now - 10_000));
        Assert.Equal([recent.NodeId], (await state.ListNodesAsync(includeExpired: true)).Select(n => n.NodeId));
        Assert.Null(await state.GetNodeAsync(stale.NodeId));
        Assert.Null(await state.RenewNodeLeaseAsync(stale.NodeId, TimeSpan.FromSeconds(10)));
        Assert.Null(await state.PullTaskAsync(stale.NodeId, "trainer"));
        Assert.Equal(0, await state.ForgetNodesAsync(Now - 10_000));
    }

    [Fact]
    public async Task APulledTaskRecordsItsTakerAndAnEvaluatedRoundsReissuedTaskIsDropped()
    {
        var state = NewState();
        var run = await state.CreateRunAsync(new Dictionary<string, string>());
        await state.CreateTasksAsync([Task("t-eval-1", run.RunId, "", Now + 60_000, role: "evaluator", kind: "evaluate"),
            Task("t-eval-2", run.RunId, "", Now + 60_000, role: "evaluator", kind: "evaluate")]);
        Assert.Equal("", (await state.GetTaskAsync("t-eval-1"))!.TakenBy);

        Assert.Equal("node-e1", (await state.PullTaskAsync("node-e1", "evaluator"))!.TakenBy);
        Assert.Equal("node-e1", (await state.GetTaskAsync("t-eval-1"))!.TakenBy);

        var eval = new EvaluationResult(1, new Dictionary<string, double>(), new Dictionary<string, DatasetScore>(), new string('a', 64), 1);
        Assert.True(await state.RecordEvaluationAsync(run.RunId, 1, eval, Event(run.RunId, "EvaluationRecorded")));
        Assert.Null(await state.PullTaskAsync("node-e2", "evaluator"));
        Assert.Equal("", (await state.GetTaskAsync("t-eval-2"))!.TakenBy);
    }

    private static StoredRunEvent Event(string runId, string kind) => new(runId, 0, kind, 1, 1, "", "", "", new Dictionary<string, double>(), false);

    [Fact]
    public async Task RenewingAnUnknownNodeReturnsNull()
    {
        Assert.Null(await NewState().RenewNodeLeaseAsync("node-missing", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task RunMovesThroughStatesAndLeavesTheActiveSetWhenItEnds()
    {
        var state = NewState();
        var run = await state.CreateRunAsync(new Dictionary<string, string> { ["num-server-rounds"] = "2" });
        Assert.Equal(RunState.Pending, run.State);
        Assert.Equal("2", run.Config["num-server-rounds"]);
        Assert.Equal([run.RunId], await state.ListActiveRunIdsAsync());

        Assert.True(await state.SetRunStateAsync(run.RunId, RunState.Running, ""));
        await state.SetRunProgressAsync(run.RunId, 1, new string('c', 64));
        Assert.True(await state.SetRunStateAsync(run.RunId, RunState.Completed, "done"));
        Assert.False(await state.SetRunStateAsync(run.RunId, RunState.Running, ""));

        var stored = await state.GetRunAsync(run.RunId);
        Assert.Equal(RunState.Completed, stored!.State);
        Assert.Equal(1, stored.CompletedRounds);
        Assert.True(stored.FinishedUnixMs > 0);
        Assert.Empty(await state.ListActiveRunIdsAsync());
        Assert.Single(await state.ListRunsAsync());
    }

    [Fact]
    public async Task SettingTheStateOfAnUnknownRunThrowsNamingTheRun()
    {
        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => NewState().SetRunStateAsync("run-nope", RunState.Running, ""));
        Assert.Contains("run-nope", error.Message);
    }

    [Fact]
    public async Task TaskIsHandedOutOnceToItsNodeAndExpiredTasksAreSkipped()
    {
        var state = NewState();
        var run = await state.CreateRunAsync(new Dictionary<string, string>());
        await state.CreateTasksAsync([Task("t-old", run.RunId, "node-a", Now + 1000)]);
        _clock.Advance(TimeSpan.FromSeconds(2));
        await state.CreateTasksAsync([Task("t-new", run.RunId, "node-a", Now + 60_000)]);

        var pulled = await state.PullTaskAsync("node-a", "trainer");
        Assert.Equal("t-new", pulled!.TaskId);
        Assert.Equal("5", pulled.Config["local-steps"]);
        Assert.Null(await state.PullTaskAsync("node-a", "trainer"));
        Assert.Null(await state.PullTaskAsync("node-b", "trainer"));
    }

    [Fact]
    public async Task RoleTaskGoesToAnyNodeOfThatRole()
    {
        var state = NewState();
        var run = await state.CreateRunAsync(new Dictionary<string, string>());
        await state.CreateTasksAsync([Task("t-eval", run.RunId, "", Now + 60_000, role: "evaluator")]);

        Assert.Null(await state.PullTaskAsync("node-t", "trainer"));
        Assert.Equal("t-eval", (await state.PullTaskAsync("node-e", "evaluator"))!.TaskId);
    }

    [Fact]
    public async Task TasksCreatedTogetherAreEachQueuedForTheirNodeOrRole()
    {
        var state = NewState();
        var run = await state.CreateRunAsync(new Dictionary<string, string>());

        await state.CreateTasksAsync([
            Task("t-a", run.RunId, "node-a", Now + 60_000),
            Task("t-b", run.RunId, "node-b", Now + 60_000),
            Task("t-eval", run.RunId, "", Now + 60_000, role: "evaluator"),
        ]);

        Assert.Equal("t-a", (await state.PullTaskAsync("node-a", "trainer"))!.TaskId);
        Assert.Equal("t-b", (await state.PullTaskAsync("node-b", "trainer"))!.TaskId);
        Assert.Equal("t-eval", (await state.PullTaskAsync("node-e", "evaluator"))!.TaskId);
        Assert.Null(await state.PullTaskAsync("node-a", "trainer"));
        Assert.Equal("train", (await state.GetTaskAsync("t-b"))!.Kind);
    }

    [Fact]
    public async Task QueuedTasksAreAnnouncedToEveryReplicaWithWhoMayTakeThem()
    {
        var prefix = $"test-{Guid.NewGuid():N}";
        var state = NewState(prefix);
        // Another replica: its own connection to the same Redis and prefix.
        await using var otherConnection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var other = new RedisLinkState(otherConnection, _clock, prefix);
        var announced = new System.Collections.Concurrent.ConcurrentQueue<TaskQueueOwner>();
        var allThree = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await other.SubscribeTaskQueuesAsync(owner =>
        {
            announced.Enqueue(owner);
            if (announced.Count == 3) allThree.TrySetResult();
        }, () => { });
        var run = await state.CreateRunAsync(new Dictionary<string, string>());

        await state.CreateTasksAsync([
            Task("t-a1", run.RunId, "node-a", Now + 60_000),
            Task("t-a2", run.RunId, "node-a", Now + 60_000),
            Task("t-b", run.RunId, "node-b", Now + 60_000),
            Task("t-eval", run.RunId, "", Now + 60_000, role: "evaluator"),
        ]);
        await allThree.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([new("node-a", ""), new("node-b", ""), new TaskQueueOwner("", "evaluator")], announced);
        // Announced only once queued: the task is there for whoever the notice wakes.
        Assert.Equal("t-eval", (await other.PullTaskAsync("node-e", "evaluator"))!.TaskId);
    }

    [Fact]
    public async Task TasksOfEndedRunsAreNotHandedOut()
    {
        var state = NewState();
        var run = await state.CreateRunAsync(new Dictionary<string, string>());
        await state.CreateTasksAsync([Task("t-1", run.RunId, "node-a", Now + 60_000)]);
        await state.SetRunStateAsync(run.RunId, RunState.Stopped, "operator");

        Assert.Null(await state.PullTaskAsync("node-a", "trainer"));
    }

    [Fact]
    public async Task ResultIsRecordedOnceInArrivalOrder()
    {
        var state = NewState();
        var run = await state.CreateRunAsync(new Dictionary<string, string>());
        await state.CreateTasksAsync([Task("t-1", run.RunId, "node-a", Now + 60_000), Task("t-2", run.RunId, "node-b", Now + 60_000)]);

        Assert.Equal(ResultAcceptance.Accepted, await state.RecordResultAsync(run.RunId, Result("t-2", "node-b")));
        Assert.Equal(ResultAcceptance.Accepted, await state.RecordResultAsync(run.RunId, Result("t-1", "node-a")));
        Assert.Equal(ResultAcceptance.AlreadyReported, await state.RecordResultAsync(run.RunId, Result("t-1", "node-a")));
        Assert.Equal(ResultAcceptance.UnknownTask, await state.RecordResultAsync(run.RunId, Result("t-9", "node-a")));

        var all = await state.GetResultsAsync(run.RunId, 1);
        Assert.Equal(["node-b", "node-a"], all.Select(r => r.NodeId));
        Assert.Equal(0.5, all[0].Metrics["loss"]);
        Assert.Equal("node-a", Assert.Single(await state.GetResultsAsync(run.RunId, 1, fromIndex: 1)).NodeId);
    }

    [Fact]
    public async Task RoundAndEvaluationRoundTripAndTheFirstEvaluationWins()
    {
        var state = NewState();
        var run = await state.CreateRunAsync(new Dictionary<string, string>());
        var round = new RoundRecordState(run.RunId, 1, RoundPhase.Evaluating, new string('a', 64), "00-t", 1, 2, ["node-a"], new string('c', 64), 99,
            new Dictionary<string, double> { ["loss"] = 0.25 }, ["node-b"], 3, 0);
        await state.SaveRoundAsync(round);
        var stored = await state.GetRoundAsync(run.RunId, 1);
        Assert.Equal(round.ModelHash, stored!.ModelHash);
        Assert.Equal(["node-b"], stored.MissingNodes);
        Assert.Equal(0.25, stored.TrainMetrics["loss"]);
        Assert.Null(await state.GetRoundAsync(run.RunId, 2));

        var eval = new EvaluationResult(1.5, new Dictionary<string, double>(), new Dictionary<string, DatasetScore> { ["held-out"] = new(1.5, new Dictionary<string, double>(), 7) }, round.ModelHash, 5);
        Assert.True(await state.RecordEvaluationAsync(run.RunId, 1, eval, Event(run.RunId, "EvaluationRecorded")));
        Assert.False(await state.RecordEvaluationAsync(run.RunId, 1, eval with { Loss = 9 }, Event(run.RunId, "EvaluationRecorded")));
        var recorded = await state.GetEvaluationAsync(run.RunId, 1);
        Assert.Equal(1.5, recorded!.Loss);
        Assert.Equal(7, recorded.Datasets["held-out"].NumExamples);
        // The evaluation and its event are stored together, once.
        Assert.Equal("EvaluationRecorded", Assert.Single(await state.ReadEventsAsync(run.RunId, 0)).Kind);
    }

    [Fact]
    public async Task EventsGetIncreasingSequencesAndSubscribersAreNotified()
    {
        var state = NewState();
        var run = await state.CreateRunAsync(new Dictionary<string, string>());
        var notified = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (await state.SubscribeAsync(run.RunId, () => notified.TrySetResult()))
        {
            var first = await state.AppendEventAsync(new StoredRunEvent(run.RunId, 0, "RunSubmitted", 0, 1, "", "", "", new Dictionary<string, double>(), false));
            await state.AppendEventAsync(new StoredRunEvent(run.RunId, 0, "RunStarted", 0, 2, "", "", "hi", new Dictionary<string, double> { ["x"] = 1 }, false));
            Assert.Equal(1, first.Sequence);
            await notified.Task.WaitAsync(TimeSpan.FromSeconds(5));
        }

        var after = await state.ReadEventsAsync(run.RunId, 1);
        var second = Assert.Single(after);
        Assert.Equal(2, second.Sequence);
        Assert.Equal("hi", second.Message);
        Assert.Equal(2, (await state.ReadEventsAsync(run.RunId, 0)).Count);
    }

    [Fact]
    public async Task EventsAppendedTogetherGetConsecutiveSequencesInTheirOrder()
    {
        var state = NewState();
        var run = await state.CreateRunAsync(new Dictionary<string, string>());
        StoredRunEvent Event(string kind, string node = "") => new(run.RunId, 0, kind, 1, 1, node, "", "", new Dictionary<string, double>(), false);
        await state.AppendEventAsync(Event("RoundStarted"));

        var appended = await state.AppendEventsAsync([Event("TaskAssigned", "node-a"), Event("TaskAssigned", "node-b"), Event("TaskAssigned", "node-c")]);

        Assert.Equal([2L, 3L, 4L], appended.Select(e => e.Sequence));
        var stored = await state.ReadEventsAsync(run.RunId, 1);
        Assert.Equal(["node-a", "node-b", "node-c"], stored.Select(e => e.NodeId));
        Assert.Equal([2L, 3L, 4L], stored.Select(e => e.Sequence));
        Assert.Empty(await state.AppendEventsAsync([]));
    }

    [Fact]
    public async Task AppendingEventsOfTwoRunsAtOnceIsRefusedNamingTheRuns()
    {
        var state = NewState();
        StoredRunEvent Event(string runId) => new(runId, 0, "RunStarted", 0, 1, "", "", "", new Dictionary<string, double>(), false);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => state.AppendEventsAsync([Event("run-1"), Event("run-2")]));

        Assert.Contains("run-1", error.Message);
        Assert.Contains("run-2", error.Message);
        Assert.Empty(await state.ReadEventsAsync("run-1", 0));
    }

    [Fact]
    public async Task OnlyOneReplicaLeadsARunUntilItReleasesOrItsLeaseLapses()
    {
        var state = NewState();
        Assert.True(await state.TryAcquireRunLeadershipAsync("run-1", "replica-a", TimeSpan.FromSeconds(30)));
        Assert.False(await state.TryAcquireRunLeadershipAsync("run-1", "replica-b", TimeSpan.FromSeconds(30)));
        Assert.True(await state.TryAcquireRunLeadershipAsync("run-1", "replica-a", TimeSpan.FromSeconds(30)));

        await state.ReleaseRunLeadershipAsync("run-1", "replica-b");
        Assert.False(await state.TryAcquireRunLeadershipAsync("run-1", "replica-b", TimeSpan.FromSeconds(30)));
        await state.ReleaseRunLeadershipAsync("run-1", "replica-a");
        Assert.True(await state.TryAcquireRunLeadershipAsync("run-1", "replica-b", TimeSpan.FromMilliseconds(300)));

        await System.Threading.Tasks.Task.Delay(600);
        Assert.True(await state.TryAcquireRunLeadershipAsync("run-1", "replica-a", TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task DriverFailuresInARowAreCountedPerRunUntilReset()
    {
        var state = NewState();
        var run = await state.CreateRunAsync(new Dictionary<string, string>());
        var other = await state.CreateRunAsync(new Dictionary<string, string>());

        var counts = new List<int>();
        for (var i = 0; i < 3; i++) counts.Add(await state.CountDriverFailureAsync(run.RunId));
        Assert.Equal([1, 2, 3], counts);
        Assert.Equal(1, await state.CountDriverFailureAsync(other.RunId));
        await state.ResetDriverFailuresAsync(run.RunId);
        Assert.Equal(1, await state.CountDriverFailureAsync(run.RunId));
        Assert.Equal(run.Config, (await state.GetRunAsync(run.RunId))!.Config);
    }

    [Fact]
    public async Task AnUploadIsRememberedForItsNodeAndRunOnlyAndExpires()
    {
        var prefix = $"test-{Guid.NewGuid():N}";
        var state = NewState(prefix);
        var blob = new string('c', 64);
        await state.RecordUploadAsync("run-1", "node-1", blob, TimeSpan.FromMinutes(5));

        Assert.True(await state.WasUploadedByAsync("run-1", "node-1", blob));
        Assert.False(await state.WasUploadedByAsync("run-2", "node-1", blob));
        Assert.False(await state.WasUploadedByAsync("run-1", "node-2", blob));
        Assert.False(await state.WasUploadedByAsync("run-1", "node-1", new string('d', 64)));
        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(new RedisKeys(prefix).Upload("run-1", "node-1", blob));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }
}

public sealed class GarnetLinkStateTests(GarnetFixture redis) : LinkStateContract(redis), IClassFixture<GarnetFixture>;

public sealed class RedisServerLinkStateTests(RedisServerProcessFixture redis) : LinkStateContract(redis), IClassFixture<RedisServerProcessFixture>;
