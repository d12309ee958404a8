using Microsoft.Extensions.DependencyInjection;
using Zk0.Federation.Protocol;
using Zk0.SuperLink.Blobs;
using Zk0.SuperLink.State;
using Zk0.SuperLink.Telemetry;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Telemetry;

/// <summary>A small federation's run, checked against what the SuperLink's instruments reported for it.</summary>
public sealed class FederationMetricsTests(GarnetFixture redis) : IClassFixture<GarnetFixture>
{
    private const string Run = SuperLinkTelemetry.RunIdTag;
    private const string Node = SuperLinkTelemetry.NodeIdTag;

    [Fact]
    public async Task ARunReportsRoundDurationsTrafficPerNodeLossesAndNodesOnline()
    {
        using var metrics = new MeasurementRecorder(SuperLinkTelemetry.Name);
        var scenario = await FederationScenario.StartAsync(redis);
        var federation = (SuperLinkTelemetry.FederationTag, scenario.KeyPrefix);
        try
        {
            await RunAndCheckAsync(scenario, metrics, federation);
        }
        finally
        {
            await scenario.DisposeAsync();
        }
        Assert.Empty(metrics.Observe("zk0.superlink.nodes.online", federation));
    }

    private static async Task RunAndCheckAsync(FederationScenario scenario, MeasurementRecorder metrics, (string, string) federation)
    {
        TestNode[] trainers = [scenario.AddTrainer("ds-a", 1, 100), scenario.AddTrainer("ds-b", 3, 300)];
        var evaluator = scenario.AddEvaluator();
        await scenario.StartAsync([.. trainers, evaluator]);
        var runId = await scenario.SubmitAsync("num-server-rounds=2 min-train-nodes=2");
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);
        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        var blobs = scenario.Host.Services.GetRequiredService<FileBlobStore>();
        var init = Assert.Single(await scenario.Host.Services.GetRequiredService<ILinkState>().GetResultsAsync(runId, 0, 0));

        Assert.Equal(run.Rounds.Select(r => (r.FinishedUnixMs - r.StartedUnixMs) / 1000.0),
            metrics.Of("zk0.superlink.round.duration", (Run, runId)).Select(m => m.Value));
        Assert.Equal(2, metrics.Of("zk0.superlink.rounds.completed", (Run, runId)).Sum(m => m.Value));

        foreach (var trainer in trainers)
        {
            var results = run.Rounds.SelectMany(r => r.Train.Where(t => t.NodeId == trainer.NodeId).Select(t => (Round: r, Result: t))).ToList();
            Assert.Equal(2, results.Count);
            var uploaded = results.Sum(r => r.Result.UpdateSizeBytes) + (init.NodeId == trainer.NodeId ? init.UpdateSizeBytes : 0);
            Assert.Equal(uploaded, metrics.Of("zk0.superlink.blobs.received", (Node, trainer.NodeId), (Run, runId)).Sum(m => m.Value));
            var downloaded = results.Sum(r => blobs.SizeOf(r.Round.BaseModelHash));
            Assert.Equal(downloaded, metrics.Of("zk0.superlink.blobs.sent", (Node, trainer.NodeId), (Run, runId)).Sum(m => m.Value));
            Assert.Equal(results.Select(r => r.Result.Metrics["loss"]), metrics.Of("zk0.superlink.train.loss", (Node, trainer.NodeId), (Run, runId)).Select(m => m.Value));
            Assert.Equal(2, metrics.Of("zk0.superlink.results.accepted", (Node, trainer.NodeId), (Run, runId)).Sum(m => m.Value));
        }
        Assert.Equal(run.Rounds.Sum(r => r.ModelSizeBytes), metrics.Of("zk0.superlink.blobs.sent", (Node, evaluator.NodeId), (Run, runId)).Sum(m => m.Value));
        Assert.Empty(metrics.Of("zk0.superlink.blobs.received", (Node, evaluator.NodeId)));
        Assert.Equal(new[] { 1.0, 3.0 }, trainers.Select(t => metrics.Of("zk0.superlink.train.loss", (Node, t.NodeId)).Last().Value));

        // The evaluation is stored a moment before its gauge is set, and the run may complete in between.
        await WaitForAsync(() => metrics.Of("zk0.superlink.eval.loss", (Run, runId)).Count == 2);
        Assert.Equal(run.Rounds.Select(r => r.Eval.Loss), metrics.Of("zk0.superlink.eval.loss", (Run, runId)).Select(m => m.Value));

        // The gauge reports a count refreshed once per heartbeat interval (a second here).
        var online = new Dictionary<string, double>();
        await WaitForAsync(() =>
        {
            online = metrics.Observe("zk0.superlink.nodes.online", federation).ToDictionary(m => m.Tags[SuperLinkTelemetry.NodeRoleTag], m => m.Value);
            return online.GetValueOrDefault("trainer") == 2;
        });
        Assert.Equal(2, online.Count);
        Assert.Equal(1, online["evaluator"]);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The expected measurements did not arrive in 10 s.");
            await Task.Delay(50);
        }
    }
}
