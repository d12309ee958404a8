using Grpc.Core;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Rounds;

/// <summary>A run whose driver fails every time it is resumed ends failed with the reason instead of looping.</summary>
public sealed class DriverFailureTests(GarnetFixture redis) : IClassFixture<GarnetFixture>
{
    [Fact]
    public async Task ARunWhoseGlobalModelVanishedFailsAfterFiveDriverFailuresInARowWithTheLastError()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        var initial = Path.Combine(scenario.WorkDirectory, "initial.safetensors");
        TinyModel.Uniform(1).Save(initial);
        var hash = (await BlobTransfer.UploadFileAsync(scenario.Host.Fleet, initial)).Sha256;
        var runId = await scenario.SubmitAsync($"num-server-rounds=2 initial-model={hash} node-wait-timeout-seconds=120");
        await RunWaiter.WaitAsync(() => scenario.Host, runId, r => r.InitialModelHash == hash, TimeSpan.FromSeconds(30));

        // The adopted model's blob is lost (a disk fault, a wrong cleanup): every round start now throws.
        File.Delete(Path.Combine(scenario.BlobDirectory, hash[..2], hash));
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100));
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        Assert.Equal(RunStatus.Failed, run.Summary.Status);
        Assert.StartsWith($"Driving run {runId} failed 5 times in a row; last error: ", run.Summary.Message);
        Assert.Contains($"{hash}' does not exist", run.Summary.Message);
        using var call = scenario.Host.Control.StreamRunEvents(new StreamRunEventsRequest { RunId = runId });
        var events = new List<RunEvent>();
        await foreach (var e in call.ResponseStream.ReadAllAsync()) events.Add(e);
        Assert.Equal(RunEventKind.RunFailed, events[^1].Kind);
        Assert.Equal(run.Summary.Message, events[^1].Message);
        Assert.DoesNotContain(events, e => e.Kind == RunEventKind.RoundStarted);
    }
}
