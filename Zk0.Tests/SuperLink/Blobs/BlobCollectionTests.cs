using Microsoft.Extensions.DependencyInjection;
using Zk0.Federation.Protocol;
using Zk0.SuperLink.Blobs;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Blobs;

public sealed class BlobCollectionTests(RedisServerProcessFixture redis, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<RedisServerProcessFixture>
{
    private static Action<IServiceCollection> Collecting(TimeSpan grace, TimeSpan? finishedRunRetention = null) => services =>
        services.Configure<BlobCollectionOptions>(o =>
        {
            o.Interval = TimeSpan.FromMilliseconds(100);
            o.Grace = grace;
            o.FinishedRunRetention = finishedRunRetention ?? TimeSpan.FromDays(7);
        });

    [Fact]
    public async Task AFiftyRoundRunKeepsTheBlobStoreBoundedAndEndsWithItsInitialAndFinalModels()
    {
        await using var scenario = await FederationScenario.StartAsync(redis, Collecting(TimeSpan.FromSeconds(1)));
        var (nodeA, nodeB) = (scenario.AddTrainer("ds-a", 1, 100), scenario.AddTrainer("ds-b", 3, 300));
        // Rounds of a quarter second at least, so the grace period spans a few rounds, not the whole run.
        nodeA.Active = Paced(nodeA, TimeSpan.FromMilliseconds(250));
        await scenario.StartAsync(nodeA, nodeB);
        var runId = await scenario.SubmitAsync("num-server-rounds=50 min-train-nodes=2 server-eval=false");
        var store = scenario.Host.Services.GetRequiredService<FileBlobStore>();
        var most = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                most = Math.Max(most, store.EnumerateBlobs().Count());
                await Task.Delay(20);
            }
        });

        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId, TimeSpan.FromMinutes(3));
        await sampling.CancelAsync();
        await sampler;

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        output.WriteLine($"most blobs stored at once during the 50-round run: {most}");
        // Uncollected, the store would hold 151 blobs: the initial model, then 2 updates and 1 model per round.
        Assert.True(most < 40, $"the blob store held up to {most} blobs during the run");
        var detail = await scenario.Host.Control.GetRunAsync(new GetRunRequest { RunId = runId });
        await Eventually(() => store.EnumerateBlobs().Select(b => b.Sha256).Order().SequenceEqual(
            new[] { detail.InitialModelHash, run.Summary.GlobalModelHash }.Order()), "only the initial and final models remain");
        var final = TinyModel.Load(store.PathOf(run.Summary.GlobalModelHash));
        Assert.All(final.Weight, w => Assert.Equal(1f + 2.5f * 50, w, 3));
    }

    [Fact]
    public async Task AFinishedRunPastRetentionLeavesNoBlobsAndNoStrategyState()
    {
        await using var scenario = await FederationScenario.StartAsync(redis, Collecting(TimeSpan.FromMilliseconds(200), finishedRunRetention: TimeSpan.Zero));
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100), scenario.AddTrainer("ds-b", 3, 300));
        var runId = await scenario.SubmitAsync("num-server-rounds=3 min-train-nodes=2 server-eval=false strategy=fedavgm server-momentum=0.9");
        var store = scenario.Host.Services.GetRequiredService<FileBlobStore>();

        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        await Eventually(() => !store.EnumerateBlobs().Any() && !Directory.Exists(Path.Combine(store.Root, "runs", runId)),
            "every blob and the run's strategy state are collected");
    }

    [Fact]
    public async Task CollectionRunningAllTheTimeAcrossASuperLinkRestartLosesNothingARunNeeds()
    {
        await using var scenario = await FederationScenario.StartAsync(redis, Collecting(TimeSpan.FromMilliseconds(500)));
        var nodeB = scenario.AddTrainer("ds-b", 3, 300);
        var releaseB = nodeB.HoldBackAfterRound(2);
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100), nodeB, scenario.AddEvaluator());
        var runId = await scenario.SubmitAsync("num-server-rounds=4 min-train-nodes=2");

        await RunWaiter.WaitAsync(() => scenario.Host, runId, r => r.Summary.CompletedRounds >= 2, TimeSpan.FromSeconds(60));
        await Task.Delay(1500); // several passes while round 3 waits for node B
        await scenario.RestartSuperLinkAsync();
        releaseB();
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.All(run.Rounds, r => Assert.Equal(2, r.Train.Count));
        Assert.Equal([3.5, 6.0, 8.5, 11.0], run.Rounds.Select(r => Math.Round(r.Eval.Loss, 4)));
    }

    /// <summary>The node takes a task only once <paramref name="gap"/> has passed since its last train task.</summary>
    private static Func<bool> Paced(TestNode node, TimeSpan gap)
    {
        var seen = 0;
        var since = System.Diagnostics.Stopwatch.StartNew();
        return () =>
        {
            if (node.TrainConfigs.Count != seen)
            {
                seen = node.TrainConfigs.Count;
                since.Restart();
            }
            return since.Elapsed >= gap;
        };
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting until {what}.");
            await Task.Delay(100);
        }
    }
}
