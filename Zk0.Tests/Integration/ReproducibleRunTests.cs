using Microsoft.Extensions.Hosting;
using Zk0.Federation.Protocol;
using Zk0.Federation.Safetensors;
using Zk0.Tests.Evaluator;
using Zk0.Tests.SuperLink.Infrastructure;
using Zk0.Tests.SuperNode;

namespace Zk0.Tests.Integration;

/// <summary>
/// Real SuperLink, SuperNodes and Evaluator (in-process, state in a redis-server), small BC runs of 2 rounds on 2 nodes:
/// the same seed on two freshly started graphs (new node ids, nodes registered in the other order) commits the same
/// final model, with and without SCAFFOLD's node-local drift correction; another seed does not; wire-dtype=bfloat16
/// commits BF16 models about half the float32 size.
/// </summary>
public sealed class ReproducibleRunTests(RedisServerProcessFixture redis) : IClassFixture<RedisServerProcessFixture>
{
    private static readonly string[] Datasets = ["tiny:kitchen", "tiny:garage"];

    private static Dictionary<string, string> Config(string seed, string wire = "float32", string driftCorrection = "none") => new()
    {
        ["policy"] = "bc", ["num-server-rounds"] = "2", ["min-train-nodes"] = "2", ["local-steps"] = "2", ["batch-size"] = "4",
        ["seed"] = seed, ["wire-dtype"] = wire, ["round-timeout-seconds"] = "120", ["eval-timeout-seconds"] = "120",
        ["drift-correction"] = driftCorrection,
    };

    [Fact]
    public async Task SameSeedGivesTheSameFinalModelOnAFreshGraphAndBfloat16HalvesTheModel()
    {
        string first, firstCorrected;
        await using (var graph = await Graph.StartAsync(redis, Datasets))
        {
            first = (await graph.RunAsync(Config("7"))).Summary.GlobalModelHash;
            firstCorrected = (await graph.RunAsync(Config("7", driftCorrection: "scaffold"))).Summary.GlobalModelHash;
        }

        await using var reversed = await Graph.StartAsync(redis, Datasets.Reverse().ToArray());
        var again = await reversed.RunAsync(Config("7"));
        // SCAFFOLD's state lives on the nodes, per run: round 2 is corrected, and the same on a fresh graph.
        var correctedAgain = await reversed.RunAsync(Config("7", driftCorrection: "scaffold"));
        Assert.Equal(firstCorrected, correctedAgain.Summary.GlobalModelHash);
        Assert.NotEqual(first, firstCorrected);
        var otherSeed = await reversed.RunAsync(Config("8"));
        var bf16 = await reversed.RunAsync(Config("7", "bfloat16"));

        Assert.Equal(first, again.Summary.GlobalModelHash);
        // Real nodes' updates pass the SuperLink's checks (tensor set, dtypes, finite values, num_examples), in both wire dtypes.
        Assert.All(again.Rounds.Concat(bf16.Rounds), round => Assert.Equal(0, round.TrainMetrics["rejected-updates"]));
        Assert.NotEqual(first, otherSeed.Summary.GlobalModelHash);
        foreach (var round in bf16.Rounds)
        {
            Assert.All(round.Train, t => Assert.Equal(BF16Only, DTypes(reversed.BlobPath(t.UpdateHash))));
            Assert.Equal(BF16Only, DTypes(reversed.BlobPath(round.ModelHash)));
            Assert.NotNull(round.Eval);
            Assert.True(double.IsFinite(round.Eval.Loss));
        }
        Assert.Equal(BF16Only, DTypes(reversed.BlobPath(bf16.InitialModelHash)));
        var ratio = new FileInfo(reversed.BlobPath(bf16.Summary.GlobalModelHash)).Length / (double)new FileInfo(reversed.BlobPath(again.Summary.GlobalModelHash)).Length;
        Assert.InRange(ratio, 0.45, 0.55);
    }

    private const string BF16Only = "BF16";

    private static string DTypes(string path)
    {
        using var file = SafetensorsFile.Open(path);
        return string.Join(",", file.Tensors.Where(t => t.DType is SafetensorsDType.F32 or SafetensorsDType.BF16 or SafetensorsDType.F16 or SafetensorsDType.F64)
            .Select(t => t.DType.ToString()).Distinct());
    }

    private sealed class Graph : IAsyncDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("zk0-repro-").FullName;
        private readonly List<IHost> _nodes = [];
        private SuperLinkTestHost _superLink = null!;
        private Microsoft.AspNetCore.Builder.WebApplication _evaluator = null!;

        public static async Task<Graph> StartAsync(RedisServerProcessFixture redis, string[] datasets)
        {
            var graph = new Graph();
            graph._superLink = await SuperLinkTestHost.StartAsync(redis.ConnectionString, Path.Combine(graph._directory, "blobs"), $"repro-{Guid.NewGuid():N}:");
            var address = new Uri(graph._superLink.Address);
            foreach (var dataset in datasets)
            {
                var node = SuperNodeHost.Build(address, dataset, Path.Combine(graph._directory, dataset.Replace(':', '-')));
                await node.StartAsync();
                graph._nodes.Add(node);
            }
            graph._evaluator = await EvaluatorHost.StartAsync(address, Datasets, Path.Combine(graph._directory, "evaluator"));
            return graph;
        }

        public string BlobPath(string hash) => Path.Combine(_directory, "blobs", hash[..2], hash);

        public async Task<RunDetail> RunAsync(Dictionary<string, string> config)
        {
            var request = new SubmitRunRequest();
            foreach (var (key, value) in config) request.Config[key] = value;
            var submitted = await _superLink.Control.SubmitRunAsync(request);
            var run = await RunWaiter.CompletedAsync(() => _superLink, submitted.RunId, TimeSpan.FromSeconds(180));
            Assert.True(run.Summary.Status == RunStatus.Completed, $"run ended {run.Summary.Status}: {run.Summary}");
            return run;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var node in _nodes)
            {
                await node.StopAsync();
                node.Dispose();
            }
            await _evaluator.StopAsync();
            await _evaluator.DisposeAsync();
            await _superLink.DisposeAsync();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
