using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Zk0.Federation.Protocol;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Telemetry;

public sealed class RoundTraceTests(GarnetFixture redis) : IClassFixture<GarnetFixture>
{
    [Fact]
    public async Task SpansOfARoundAcrossSuperLinkNodesAndEvaluatorShareOneTrace()
    {
        var exported = new List<Activity>();
        await using var scenario = await FederationScenario.StartAsync(redis, services =>
            services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(TestNode.Source.Name).AddInMemoryExporter(exported)));
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100), scenario.AddTrainer("ds-b", 3, 300), scenario.AddEvaluator());
        var runId = await scenario.SubmitAsync("num-server-rounds=2 min-train-nodes=2");
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);
        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        await Task.Delay(500); // let the last server spans end

        Activity[] spans;
        lock (exported) spans = exported.ToArray();
        bool OfRun(Activity a, int round) => a.GetTagItem("zk0.run_id") as string == runId && Equals(a.GetTagItem("zk0.round"), round);

        var round1 = Assert.Single(spans, a => a.DisplayName == "superlink.round" && OfRun(a, 1));
        var round2 = Assert.Single(spans, a => a.DisplayName == "superlink.round" && OfRun(a, 2));
        var trace = round1.TraceId;
        Assert.NotEqual(trace, round2.TraceId);
        Assert.Equal($"00-{trace}-{round1.SpanId}-01", run.Rounds[0].Traceparent);

        var aggregations = spans.Where(a => a.DisplayName == "superlink.aggregate-update" && a.ParentSpanId == round1.SpanId).ToList();
        Assert.Equal(2, aggregations.Count);
        Assert.All(aggregations, a => Assert.Equal(trace, a.TraceId));
        Assert.Single(spans, a => a.DisplayName == "superlink.commit-model" && a.ParentSpanId == round1.SpanId);

        var trainSpans = spans.Where(a => a.DisplayName == "node.train" && OfRun(a, 1)).ToList();
        Assert.Equal(2, trainSpans.Count);
        var evalSpan = Assert.Single(spans, a => a.DisplayName == "node.evaluate" && OfRun(a, 1));
        foreach (var nodeSpan in trainSpans.Append(evalSpan))
        {
            Assert.Equal(trace, nodeSpan.TraceId);
            // The node's calls (download, upload, push / record evaluation) arrive at the SuperLink inside the same trace.
            var serverSpans = spans.Where(a => a.Kind == ActivityKind.Server && a.TraceId == trace).ToList();
            Assert.Contains(serverSpans, s => s.StartTimeUtc >= nodeSpan.StartTimeUtc && s.StartTimeUtc + s.Duration <= nodeSpan.StartTimeUtc + nodeSpan.Duration);
        }
    }
}
