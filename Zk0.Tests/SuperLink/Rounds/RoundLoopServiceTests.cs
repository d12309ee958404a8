using StackExchange.Redis;
using Zk0.Federation.Protocol;
using Zk0.Tests.Integration.Graph;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Rounds;

public sealed class RoundLoopServiceTests(RedisServerProcessFixture redis) : IClassFixture<RedisServerProcessFixture>
{
    [Fact]
    public async Task AfterRedisComesBackWithoutATaskItHadAcknowledgedTheDriverIssuesItAgainAndTheRunCompletes()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        var nodeA = scenario.AddTrainer("ds-a", 1, 100);
        var nodeB = scenario.AddTrainer("ds-b", 3, 300);
        // Node B takes tasks until it has its round-1 task, then holds back: its round-2 task waits in its queue.
        var releaseB = nodeB.HoldBackAfterRound(1);
        await scenario.StartAsync(nodeA, nodeB, scenario.AddEvaluator());
        var runId = await scenario.SubmitAsync("num-server-rounds=3 min-train-nodes=2 round-timeout-seconds=600");
        var queue = new Zk0.SuperLink.State.RedisKeys(scenario.KeyPrefix).NodeQueue(nodeB.NodeId);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(redis.Connection.GetDatabase().ListLength(queue) == 1), TimeSpan.FromSeconds(60), CancellationToken.None), "node B's round-2 task was not queued");

        // What a Redis restarted from an append-only file that had not reached the disk looks like: the connection
        // drops, and a write it acknowledged (the queued task) is gone.
        await redis.Connection.GetDatabase().KeyDeleteAsync(queue);
        await using (var admin = await ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},allowAdmin=true"))
        {
            var server = admin.GetServer(admin.GetEndPoints()[0]);
            await server.ClientKillAsync(clientType: ClientType.Normal, skipMe: true);
            await server.ClientKillAsync(clientType: ClientType.PubSub, skipMe: true);
        }
        releaseB();

        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId, TimeSpan.FromSeconds(90));

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.Equal([1, 2, 3], run.Rounds.Select(r => r.Round));
        Assert.All(run.Rounds, r => Assert.Equal(2, r.Train.Count));
    }
}
