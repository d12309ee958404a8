using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Grpc.Net.Client;
using Zk0.AppHost;
using Zk0.Cli.Runs;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Abstractions.Data;
using Zk0.Policy.BehaviourCloning;
using Zk0.Policy.Checkpoints;

namespace Zk0.Tests.Integration;

/// <summary>
/// The AppHost's default run on the whole graph (Garnet, SuperLink, Evaluator, Gateway and two SuperNodes as processes
/// under DCP): the 2-round run submitted through the gateway completes, every update and global model is a hash the
/// SuperLink verified, and the run's outputs (metrics.json, run.json, charts, a LeRobot checkpoint per round and the
/// final one) are written.
/// </summary>
[Collection(FederationGraphCollection.Name)]
public sealed class DefaultRunTests(FederationGraphFixture fixture)
{
    [Fact]
    public async Task TheDefaultRunCompletesOverTheGatewayWithVerifiedHashesAndRecordedOutputs()
    {
        using var cts = new CancellationTokenSource(FederationGraphFixture.Timeout);
        var run = await fixture.DefaultRun.WaitAsync(cts.Token);
        Assert.True(run.State == "Completed", $"run ended {run.State}; the graph's log is {fixture.Graph.LogPath}");

        using var metrics = JsonDocument.Parse(await File.ReadAllTextAsync(run.MetricsPath, cts.Token));
        var root = metrics.RootElement;
        Assert.Equal(run.RunId, root.GetProperty("run_id").GetString());
        var rounds = root.GetProperty("rounds").EnumerateArray().ToList();
        Assert.Equal([1, 2], rounds.Select(r => r.GetProperty("round").GetInt32()));
        foreach (var round in rounds)
        {
            var train = round.GetProperty("train").EnumerateObject().ToList();
            Assert.Equal(FederationGraphFixture.Nodes, train.Count);
            Assert.All(train, node => Assert.Matches("^[0-9a-f]{64}$", node.Value.GetProperty("update_hash").GetString()));
            var expectedBase = round.GetProperty("round").GetInt32() == 1
                ? root.GetProperty("initial_model_hash").GetString()
                : rounds[0].GetProperty("model_hash").GetString();
            Assert.All(train, node => Assert.Equal(expectedBase, node.Value.GetProperty("base_model_hash").GetString()));
            Assert.Matches("^[0-9a-f]{64}$", round.GetProperty("model_hash").GetString());
            var eval = round.GetProperty("eval");
            Assert.Equal(JsonValueKind.Object, eval.ValueKind);
            Assert.True(double.IsFinite(eval.GetProperty("loss").GetDouble()));
            Assert.NotEmpty(eval.GetProperty("datasets").EnumerateObject());
        }

        // The committed model the gateway serves hashes to what the run recorded.
        var gateway = fixture.Graph.App.GetEndpoint("gateway", "grpc");
        var finalHash = root.GetProperty("final_model_hash").GetString()!;
        using var channel = GrpcChannel.ForAddress(gateway);
        var fleet = new Fleet.FleetClient(channel);
        using var download = fleet.DownloadBlob(new DownloadBlobRequest { Sha256 = finalHash }, cancellationToken: cts.Token);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        while (await download.ResponseStream.MoveNext(cts.Token))
            sha.AppendData(download.ResponseStream.Current.Data.Span);
        Assert.Equal(finalHash, Convert.ToHexStringLower(sha.GetHashAndReset()));

        await AssertRunOutputsAsync(run.OutputDirectory, fleet, finalHash, cts.Token);
        await AssertPulledCheckpointIsTheFinalOneAsync(gateway, run.RunId, run.OutputDirectory, finalHash, cts.Token);
    }

    /// <summary>
    /// <c>zk0 run pull</c>'s download through the gateway's gRPC port (plain h2c, so HTTP/2 with prior knowledge) gives the
    /// checkpoint the AppHost saved as checkpoints/final: the Evaluator builds it from its held-out data as the AppHost
    /// does from the nodes'.
    /// </summary>
    private static async Task AssertPulledCheckpointIsTheFinalOneAsync(Uri gateway, string runId, string runDirectory, string finalHash, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var pulled = Path.Combine(runDirectory, "pulled");

        var result = await CheckpointDownload.DownloadAsync(http, gateway, runId, null, pulled, cancellationToken);

        Assert.Equal((runId, 2, finalHash), (result.RunId, result.Round, result.ModelHash));
        var final = Path.Combine(runDirectory, "checkpoints", "final");
        foreach (var file in new[] { "config.json", "model.safetensors" })
            Assert.True(File.ReadAllBytes(Path.Combine(final, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(pulled, file))), $"the pulled {file} differs from checkpoints/final/{file}");
    }

    private static async Task AssertRunOutputsAsync(string runDirectory, Fleet.FleetClient fleet, string finalHash, CancellationToken cancellationToken)
    {
        using var runJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(runDirectory, "run.json"), cancellationToken));
        var run = runJson.RootElement;
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal("1", run.GetProperty("config").GetProperty("checkpoint-interval").GetString());
        Assert.Equal("1", run.GetProperty("config").GetProperty("min-train-nodes").GetString()); // one of the two may die
        var nodes = run.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, FederationGraphFixture.Nodes).Select(NodeDatasets.Default), nodes.Select(n => n.GetProperty("dataset_uri").GetString()));
        Assert.All(nodes, n => Assert.StartsWith("ds-", n.GetProperty("dataset_id").GetString()));
        Assert.Equal(FederationGraphFixture.Nodes, run.GetProperty("seeds").GetProperty("train_tasks").GetArrayLength());

        var loss = Path.Combine(runDirectory, "charts", "loss.png");
        Assert.True(File.Exists(loss) && new FileInfo(loss).Length > 0, "charts/loss.png is missing");

        foreach (var name in new[] { "round-1", "round-2", "final" })
        {
            var checkpoint = Path.Combine(runDirectory, "checkpoints", name);
            foreach (var file in new[] { "config.json", "model.safetensors", "README.md" })
                Assert.True(File.Exists(Path.Combine(checkpoint, file)), $"checkpoints/{name}/{file} is missing");
            Assert.DoesNotContain("synth:", await File.ReadAllTextAsync(Path.Combine(checkpoint, "README.md"), cancellationToken));
        }

        // The final checkpoint starts a bc policy holding exactly the run's final global model.
        using var features = new LeRobotPolicyDatasetSource(new PolicyDataOptions()).Open(NodeDatasets.Default(0), DatasetSplit.Train);
        using var policy = new BehaviourCloningPolicyFactory().Create(new PolicyCreateOptions(features.Features,
            new Dictionary<string, string> { [RunSettings.PolicyPathKey] = Path.Combine(runDirectory, "checkpoints", "final") }, Seed: 1));
        var blob = Path.Combine(runDirectory, "final-model.safetensors");
        await BlobTransfer.DownloadToFileAsync(fleet, finalHash, blob, cancellationToken);
        var global = SafetensorsTorch.LoadAll(blob);
        foreach (var (name, tensor) in policy.TrainableTensors)
            Assert.True(global[name].eq(tensor).all().item<bool>(), $"{name} differs from the final global model");
        foreach (var tensor in global.Values) tensor.Dispose();
    }
}
