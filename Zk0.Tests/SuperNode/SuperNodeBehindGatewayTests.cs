using Microsoft.Extensions.Hosting;
using Zk0.Federation.Protocol;
using Zk0.Tests.Gateway;

namespace Zk0.Tests.SuperNode;

/// <summary>A SuperNode that reaches its Fleet server through the real gateway, as every node of the AppHost's graph does.</summary>
public sealed class SuperNodeBehindGatewayTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-supernode-gateway-").FullName;
    private ScriptedFleet _fleet = null!;
    private IAsyncDisposable _gateway = null!;
    private IHost _node = null!;

    public async Task InitializeAsync()
    {
        _fleet = await ScriptedFleet.StartAsync();
        var (gateway, grpcPort, _) = await InProcessGateway.StartAsync((grpc, http) => new Dictionary<string, string?>(InProcessGateway.PlainEndpoints(grpc, http))
        {
            ["services:superlink:grpc:0"] = _fleet.Address.ToString().TrimEnd('/'),
        });
        _gateway = gateway;
        _node = SuperNodeHost.Build(new Uri($"http://127.0.0.1:{grpcPort}"), "tiny:kitchen", Path.Combine(_directory, "work"));
        await _node.StartAsync();
    }

    [Fact]
    public async Task AGlobalModelDownloadThatADyingSuperLinkCutsShortIsDownloadedAgainAndTheTaskSucceeds()
    {
        // Behind the gateway such a cut arrives as Cancelled, not Unavailable: it must not cost the node its round.
        _fleet.CutDownloads = 2;
        var task = NodeTasks.Create("train-across-a-crash", TaskKind.Train, round: 1, _fleet.AddTinyModel(seed: 5), new() { ["local-steps"] = "1" });
        task.DeadlineUnixMs = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds();
        _fleet.Enqueue(task);

        var result = await _fleet.NextResultAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("", result.Error);
        Assert.Equal(3, _fleet.DownloadAttempts);
        Assert.True(_fleet.Blobs.ContainsKey(result.UpdateHash), "the update the result names was never stored");
    }

    public async Task DisposeAsync()
    {
        await _node.StopAsync();
        _node.Dispose();
        await _gateway.DisposeAsync();
        await _fleet.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
