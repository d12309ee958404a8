using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Zk0.Federation.Protocol;
using Zk0.SuperLink.Fleet;
using Zk0.SuperLink.Hosting;
using Zk0.SuperLink.Rounds;
using Zk0.SuperLink.State;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Fleet;

/// <summary>
/// PullTask with wait_ms: held until a task for the node is queued (on any replica), the wait ends, the node cancels or
/// the SuperLink stops. Nothing drives runs here: each test queues its tasks itself.
/// </summary>
public sealed class LongPollTests(GarnetFixture redis) : IClassFixture<GarnetFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const long LongWaitMs = 10 * 60 * 1000;
    private readonly string _prefix = $"lp{Guid.NewGuid():N}"[..12];
    private readonly string _blobs = Directory.CreateTempSubdirectory("zk0-longpoll-").FullName;

    /// <summary>A SuperLink replica on the test's Redis prefix; by default it may hold a pull for minutes.</summary>
    private Task<SuperLinkTestHost> StartReplicaAsync(TimeSpan? maxPullWait = null, TimeSpan? nodeLease = null) =>
        SuperLinkTestHost.StartAsync(redis.ConnectionString, _blobs, _prefix, services =>
        {
            services.Remove(services.Single(d => d.ImplementationType == typeof(RoundLoopService)));
            services.Configure<SuperLinkOptions>(o =>
            {
                o.MaxPullWait = maxPullWait ?? TimeSpan.FromHours(1);
                o.NodeLease = nodeLease ?? TimeSpan.FromHours(2);
            });
        });

    private static async Task<string> RegisterAsync(SuperLinkTestHost link) =>
        (await link.Fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = "ds-a", Role = "trainer" })).NodeId;

    private static async Task<TaskRecord> QueueTaskAsync(SuperLinkTestHost link, string nodeId)
    {
        var state = link.Services.GetRequiredService<ILinkState>();
        var run = await state.CreateRunAsync(new Dictionary<string, string>());
        var task = new TaskRecord($"task-{Guid.NewGuid():N}", run.RunId, 1, TaskKinds.Train, nodeId, NodeRoles.Trainer,
            new Dictionary<string, string>(), new string('a', 64), 0, "", DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds());
        await state.CreateTasksAsync([task]);
        return task;
    }

    /// <summary>Until the replica holds <paramref name="count"/> pulls (then a task queued from now on must wake them).</summary>
    private static async Task HoldingAsync(SuperLinkTestHost link, int count = 1)
    {
        var waiters = link.Services.GetRequiredService<TaskWaiters>();
        var deadline = DateTime.UtcNow + Patience;
        while (waiters.Count != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the SuperLink holds {waiters.Count} pulls, not {count}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task APullGetsTheTaskQueuedWhileItWaits()
    {
        await using var link = await StartReplicaAsync();
        var node = await RegisterAsync(link);
        var pull = link.Fleet.PullTaskAsync(new PullTaskRequest { NodeId = node, WaitMs = LongWaitMs }).ResponseAsync;
        await HoldingAsync(link);

        var queued = await QueueTaskAsync(link, node);
        var reply = await pull.WaitAsync(Patience);

        Assert.Equal(queued.TaskId, reply.Task.TaskId);
        await HoldingAsync(link, 0);
    }

    [Fact]
    public async Task APullWithNoTaskAnswersEmptyWhenItsWaitEnds()
    {
        await using var link = await StartReplicaAsync();
        var node = await RegisterAsync(link);
        var elapsed = Stopwatch.StartNew();

        var reply = await link.Fleet.PullTaskAsync(new PullTaskRequest { NodeId = node, WaitMs = 700 });

        Assert.Null(reply.Task);
        Assert.True(elapsed.ElapsedMilliseconds >= 600, $"answered after {elapsed.ElapsedMilliseconds} ms of a 700 ms wait");
        Assert.Equal(0, reply.RetryAfterMs); // held to the end: pull again at once
    }

    [Fact]
    public async Task TheWaitIsCappedByMaxPullWait()
    {
        await using var link = await StartReplicaAsync(maxPullWait: TimeSpan.FromMilliseconds(300));
        var node = await RegisterAsync(link);

        var reply = await link.Fleet.PullTaskAsync(new PullTaskRequest { NodeId = node, WaitMs = LongWaitMs }).ResponseAsync.WaitAsync(Patience);

        Assert.Null(reply.Task);
        Assert.Equal(0, reply.RetryAfterMs);
    }

    [Fact]
    public async Task APullWithoutWaitAnswersAtOnceWithRetryAfterAsBefore()
    {
        await using var link = await StartReplicaAsync();
        var node = await RegisterAsync(link);

        var reply = await link.Fleet.PullTaskAsync(new PullTaskRequest { NodeId = node }).ResponseAsync.WaitAsync(Patience);

        Assert.Null(reply.Task);
        Assert.Equal(200, reply.RetryAfterMs); // the test host's PollInterval
    }

    [Fact]
    public async Task ANodeCancellingItsPullIsNoLongerHeld()
    {
        await using var link = await StartReplicaAsync();
        var node = await RegisterAsync(link);
        using var cancel = new CancellationTokenSource();
        var pull = link.Fleet.PullTaskAsync(new PullTaskRequest { NodeId = node, WaitMs = LongWaitMs }, cancellationToken: cancel.Token).ResponseAsync;
        await HoldingAsync(link);

        await cancel.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => pull.WaitAsync(Patience));
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await HoldingAsync(link, 0);
    }

    [Fact]
    public async Task AStoppingSuperLinkAnswersItsHeldPullsAtOnce()
    {
        var link = await StartReplicaAsync();
        var node = await RegisterAsync(link);
        // A channel of its own, so disposing the host's client does not cancel the call from this side.
        using var channel = GrpcChannel.ForAddress(link.Address);
        var pull = new Zk0.Federation.Protocol.Fleet.FleetClient(channel).PullTaskAsync(new PullTaskRequest { NodeId = node, WaitMs = LongWaitMs }).ResponseAsync;
        await HoldingAsync(link);
        var stopping = Stopwatch.StartNew();

        await link.DisposeAsync();
        var reply = await pull.WaitAsync(Patience);

        Assert.Null(reply.Task);
        Assert.Equal(200, reply.RetryAfterMs); // not 0: the node should not come straight back to a stopping SuperLink
        // Kestrel waits up to the 30 s shutdown timeout for calls still running.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(20), $"stopping took {stopping.Elapsed}");
    }

    [Fact]
    public async Task ATaskQueuedOnOneReplicaWakesAPullHeldByAnother()
    {
        await using var replicaA = await StartReplicaAsync();
        await using var replicaB = await StartReplicaAsync();
        var node = await RegisterAsync(replicaA);
        var pull = replicaB.Fleet.PullTaskAsync(new PullTaskRequest { NodeId = node, WaitMs = LongWaitMs }).ResponseAsync;
        await HoldingAsync(replicaB);

        var queued = await QueueTaskAsync(replicaA, node);
        var reply = await pull.WaitAsync(Patience);

        Assert.Equal(queued.TaskId, reply.Task.TaskId);
    }

    [Fact]
    public async Task ANodeThatOnlyLongPollsKeepsItsLease()
    {
        // Each pull is held half the lease (1 s); three in a row outlast the lease, with no heartbeat.
        var lease = TimeSpan.FromSeconds(2);
        await using var link = await StartReplicaAsync(nodeLease: lease);
        var node = await RegisterAsync(link);
        var state = link.Services.GetRequiredService<ILinkState>();

        for (var i = 0; i < 3; i++)
        {
            var sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            Assert.Null((await link.Fleet.PullTaskAsync(new PullTaskRequest { NodeId = node, WaitMs = LongWaitMs })).Task);

            // Renewed when answering, after the wait, not only when the pull arrived.
            var expires = (await state.GetNodeAsync(node))!.LeaseExpiresUnixMs;
            Assert.True(expires >= sent + (long)(lease * 1.25).TotalMilliseconds, $"lease ends {expires - sent} ms after the pull was sent");
        }
        var online = await link.Control.ListNodesAsync(new ListNodesRequest());
        Assert.Contains(node, online.Nodes.Select(n => n.NodeId));
    }

    [Theory]
    [InlineData(60_000, 120, 20, 10_000)] // half the lease
    [InlineData(60_000, 15, 20, 10_000)]
    [InlineData(5_000, 15, 20, 5_000)] // what the node asked for
    [InlineData(60_000, 3, 20, 3_000)] // MaxPullWait
    public void AHeldPullWaitsAtMostMaxPullWaitAndHalfTheLease(long requestedMs, int maxPullWaitSeconds, int leaseSeconds, long expectedMs)
    {
        var options = new SuperLinkOptions { MaxPullWait = TimeSpan.FromSeconds(maxPullWaitSeconds), NodeLease = TimeSpan.FromSeconds(leaseSeconds) };

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), options.PullWait(TimeSpan.FromMilliseconds(requestedMs)));
    }

    public void Dispose()
    {
        try { Directory.Delete(_blobs, recursive: true); } catch (IOException) { }
    }
}
