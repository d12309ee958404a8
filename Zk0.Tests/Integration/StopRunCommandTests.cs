using Aspire.Hosting.Testing;
using Grpc.Net.Client;
using Zk0.Federation.Protocol;

namespace Zk0.Tests.Integration;

/// <summary>The SuperLink's "Stop run" command (as from the dashboard) stops the AppHost's run on the SuperLink.</summary>
[Collection(FederationGraphCollection.Name)]
public sealed class StopRunCommandTests(FederationGraphFixture fixture)
{
    [Fact]
    public async Task StopRunStopsTheRunningRunAndTheRunResourceSaysStopped()
    {
        using var cts = new CancellationTokenSource(FederationGraphFixture.Timeout);
        var graph = fixture.Graph;
        var first = await fixture.DefaultRun.WaitAsync(cts.Token);
        var runId = await graph.StartRunAsync(first.RunId, cts.Token);

        var stop = await graph.App.ResourceCommands.ExecuteCommandAsync(graph.Resource("superlink"), "stop-run", cts.Token);

        Assert.True(stop.Success, stop.Message);
        var stopped = await graph.WaitForRunAsync(cts.Token, runId);
        Assert.Equal("Stopped", stopped.State);
        using var channel = GrpcChannel.ForAddress(graph.App.GetEndpoint("gateway", "grpc"));
        var run = await new Control.ControlClient(channel).GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: cts.Token);
        Assert.Equal(RunStatus.Stopped, run.Summary.Status);
        var again = await graph.App.ResourceCommands.ExecuteCommandAsync(graph.Resource("superlink"), "stop-run", cts.Token);
        Assert.False(again.Success, "a second Stop run with no run going should say so");
    }
}
