using Aspire.Hosting.Testing;
using Grpc.Net.Client;
using Zk0.Federation.Protocol;
using Zk0.Tests.Integration.Graph;

namespace Zk0.Tests.Integration;

/// <summary>
/// <c>--redis server</c>, and the redis-server process is killed (<c>kill -9</c>) in the middle of a run: the AppHost
/// starts it again, it replays its append-only file, and the run resumes and completes with every round.
/// </summary>
public sealed class RedisRestartOnTheGraphTests
{
    [Fact]
    public async Task AKilledRedisServerIsRestartedWithItsAppendOnlyFileAndTheRunCompletes()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var outputs = Directory.CreateTempSubdirectory("zk0-redis-restart-");
        try
        {
            await using var graph = await TestGraph.BuildAsync("redis-restart",
                ["--nodes", FederationGraphFixture.Nodes.ToString(), "--redis", "server", "--output", outputs.FullName, "--run-config", FederationGraphFixture.RunConfig],
                cancellationToken: cts.Token);
            await graph.App.StartAsync(cts.Token);
            var running = await graph.Notifications.WaitForResourceAsync("run", e => e.Snapshot.State?.Text == "Running", cts.Token);
            var runId = TestGraph.Property(running, Zk0.AppHost.Runs.FederationRunResource.RunIdProperty)!;
            await graph.WaitForRunEventAsync(runId, e => e.Kind == RunEventKind.RoundStarted && e.Round == 1, cts.Token);

            var killedAt = graph.Kill("redis-server");
            await graph.WaitForRestartAsync("redis-server", killedAt, cts.Token);
            var finished = await graph.WaitForRunAsync(cts.Token, runId);

            Assert.True(finished.State == "Completed", $"run ended {finished.State}; the graph's log is {graph.LogPath}");
            using var channel = GrpcChannel.ForAddress(graph.App.GetEndpoint("gateway", "grpc"));
            var run = await new Control.ControlClient(channel).GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: cts.Token);
            Assert.Equal([1, 2], run.Rounds.Select(r => r.Round));
            Assert.All(run.Rounds, r => Assert.NotEmpty(r.Train));
        }
        finally
        {
            outputs.Delete(recursive: true);
        }
    }
}
