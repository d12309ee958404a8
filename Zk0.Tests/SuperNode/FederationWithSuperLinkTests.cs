using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Zk0.Federation.Protocol;
using Zk0.Tests.Evaluator;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperNode;

/// <summary>Real SuperNodes and the real Evaluator against the real SuperLink (in-process, state in a redis-server): a whole run.</summary>
public sealed class FederationWithSuperLinkTests(RedisServerProcessFixture redis) : IClassFixture<RedisServerProcessFixture>, IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-federation-").FullName;
    private readonly List<Activity> _spans = [];
    private readonly List<IHost> _nodes = [];
    private SuperLinkTestHost _superLink = null!;
    private WebApplication _evaluator = null!;
    private TracerProvider _tracing = null!;

    public async Task InitializeAsync()
    {
        _tracing = Sdk.CreateTracerProviderBuilder().AddSource("Zk0.SuperNode", "Zk0.Evaluator").AddInMemoryExporter(_spans).Build()!;
        _superLink = await SuperLinkTestHost.StartAsync(redis.ConnectionString, Path.Combine(_directory, "blobs"), $"fed-node-{Guid.NewGuid():N}:");
        var address = new Uri(_superLink.Address);
        foreach (var dataset in new[] { "tiny:kitchen", "tiny:garage" })
        {
            var node = SuperNodeHost.Build(address, dataset, Path.Combine(_directory, dataset.Replace(':', '-')));
            await node.StartAsync();
            _nodes.Add(node);
        }
        _evaluator = await EvaluatorHost.StartAsync(address, ["tiny:kitchen", "tiny:garage"], Path.Combine(_directory, "evaluator"));
    }

    [Fact]
    public async Task ATwoRoundRunTrainsOnBothNodesAndIsEvaluatedEveryRoundInOneTracePerRound()
    {
        var submitted = await _superLink.Control.SubmitRunAsync(new SubmitRunRequest
        {
            Config =
            {
                ["num-server-rounds"] = "2", ["min-train-nodes"] = "2", ["local-steps"] = "3", ["batch-size"] = "8",
                ["seed"] = "7", ["round-timeout-seconds"] = "120", ["eval-timeout-seconds"] = "120",
            },
        });

        var run = await RunWaiter.CompletedAsync(() => _superLink, submitted.RunId, TimeSpan.FromSeconds(180));

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.Equal(2, run.Rounds.Count);
        foreach (var round in run.Rounds)
        {
            Assert.Equal(2, round.Train.Count(t => t.Error.Length == 0));
            Assert.All(round.Train, t => Assert.Matches("^ds-[0-9a-f]{24}$", t.DatasetId));
            Assert.All(round.Train, t => Assert.Equal(3, t.Metrics["steps"]));
            Assert.NotNull(round.Eval);
            Assert.Equal(round.ModelHash, round.Eval.ModelHash);
            Assert.Equal(["tiny:garage", "tiny:kitchen"], round.Eval.Datasets.Keys.Order());
            Assert.True(double.IsFinite(round.Eval.Loss));

            _tracing.ForceFlush();
            var traceId = ActivityContext.Parse(round.Traceparent, null).TraceId;
            var spans = _spans.ToArray().Where(s => s.TraceId == traceId).Select(s => s.DisplayName).ToList();
            Assert.Equal(2, spans.Count(n => n == "supernode train"));
            Assert.Contains("evaluator evaluate", spans);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.StopAsync();
            node.Dispose();
        }
        await _evaluator.StopAsync();
        await _evaluator.DisposeAsync();
        await _superLink.DisposeAsync();
        _tracing.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
