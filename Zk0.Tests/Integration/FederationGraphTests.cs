using System.Security.Cryptography;
using System.Text.Json;
using Grpc.Net.Client;
using Xunit.Abstractions;
using Zk0.AppHost;
using Zk0.AppHost.Hosting;
using Zk0.AppHost.Logs;
using Zk0.AppHost.Runs;
using Zk0.Federation.Protocol;
using Zk0.Tests.AppHost.Hosting;

namespace Zk0.Tests.Integration;

/// <summary>
/// The whole graph through the harness: Garnet, SuperLink, Evaluator, Gateway and two SuperNodes
/// as real processes; a 2-round run submitted through the gateway completes, every update and
/// global model is a hash the SuperLink verified, and the metrics are recorded.
/// </summary>
public sealed class FederationGraphTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(12);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("zk0-graph-test-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task TwoNodesCompleteTwoRoundsOverTheGatewayWithVerifiedHashesAndRecordedMetrics()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var logs = new TestOutputLoggerFactory(output);
        var model = AppGraph.Declare(nodes: 2, stateDirectory: Path.Combine(_work.FullName, "state"));
        await using var app = await DistributedApplication.StartAsync(model, new DistributedApplicationOptions
        {
            RandomizePorts = true,
            Logs = new LoggerLogSink(logs),
        }, cts.Token);

        await app.WaitForAllHealthyAsync(cts.Token);
        using (var health = app.CreateHttpClient("gateway"))
        {
            Assert.True((await health.GetAsync("/health", cts.Token)).IsSuccessStatusCode);
        }

        var config = DefaultRun.Config(2, new Dictionary<string, string>
        {
            ["num-server-rounds"] = "2",
            ["local-steps"] = "2",
            ["batch-size"] = "4",
            ["seed"] = "7",
            ["policy"] = "bc",
        });
        using var driver = new RunDriver(app.GetEndpoint("gateway"), NodeDatasets.ForNodes(2), line => output.WriteLine($"[run] {line}"));
        var outcome = await driver.RunAsync(config, Path.Combine(_work.FullName, "outputs"), cts.Token);

        Assert.True(outcome.Completed, $"run ended {outcome.Status}: {outcome.Message}");
        using var metrics = JsonDocument.Parse(await File.ReadAllTextAsync(outcome.MetricsPath, cts.Token));
        var root = metrics.RootElement;
        Assert.Equal(outcome.RunId, root.GetProperty("run_id").GetString());
        var rounds = root.GetProperty("rounds").EnumerateArray().ToList();
        Assert.Equal([1, 2], rounds.Select(r => r.GetProperty("round").GetInt32()));
        foreach (var round in rounds)
        {
            var train = round.GetProperty("train").EnumerateObject().ToList();
            Assert.Equal(2, train.Count);
            Assert.All(train, node => Assert.Matches("^[0-9a-f]{64}$", node.Value.GetProperty("update_hash").GetString()));
            Assert.Matches("^[0-9a-f]{64}$", round.GetProperty("model_hash").GetString());
            var eval = round.GetProperty("eval");
            Assert.Equal(JsonValueKind.Object, eval.ValueKind);
            Assert.True(double.IsFinite(eval.GetProperty("loss").GetDouble()));
            Assert.NotEmpty(eval.GetProperty("datasets").EnumerateObject());
        }

        // The committed model the gateway serves hashes to what the run recorded.
        var finalHash = root.GetProperty("final_model_hash").GetString()!;
        using var channel = GrpcChannel.ForAddress(app.GetEndpoint("gateway"));
        var fleet = new Fleet.FleetClient(channel);
        using var download = fleet.DownloadBlob(new DownloadBlobRequest { Sha256 = finalHash }, cancellationToken: cts.Token);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        while (await download.ResponseStream.MoveNext(cts.Token))
        {
            sha.AppendData(download.ResponseStream.Current.Data.Span);
        }
        Assert.Equal(finalHash, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }
}
