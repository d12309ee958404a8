using System.Buffers.Binary;
using System.Text;
using Grpc.Core;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Federation.Safetensors;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Rounds;

/// <summary>
/// Poisoning attempts against a real SuperLink: an attacker node answers its task with a crafted update or model. Each
/// gets a clear refusal, a ResultRejected event, and the run ends with the same model as the same run without the attacker.
/// </summary>
public sealed class UpdateValidationTests(GarnetFixture redis) : IClassFixture<GarnetFixture>
{
    private const long AttackerExamples = 1000;
    private static readonly TimeSpan TaskWait = TimeSpan.FromSeconds(30);
    private static string? _baselineHash;

    public static TheoryData<string, long, string, StatusCode, string> PoisonedUpdates => new()
    {
        { "all-nan", AttackerExamples, "", StatusCode.InvalidArgument, "tensor 'layer.weight' has 4 NaN values" },
        { "one-inf", AttackerExamples, "", StatusCode.InvalidArgument, "tensor 'layer.weight' has 1 infinite value" },
        { "huge", 1_000_000_000_000, "", StatusCode.InvalidArgument, $"num_examples is 1000000000000, more than the {AttackerExamples} examples node" },
        { "huge", AttackerExamples, "max-update-norm=10", StatusCode.InvalidArgument, "its L2 distance from the global model is 2825.6, above max-update-norm=10" },
        { "honest", 0, "", StatusCode.InvalidArgument, "num_examples is 0: a train result must count the examples it was trained on" },
        { "empty", AttackerExamples, "", StatusCode.InvalidArgument, "4 of the global model's 4 tensors are missing ('layer.weight', 'layer.bias', 'head.weight', ...)" },
        { "missing", AttackerExamples, "", StatusCode.InvalidArgument, "1 of the global model's 4 tensors are missing ('step')" },
        { "extra", AttackerExamples, "", StatusCode.InvalidArgument, "tensor 'backdoor' is not in the global model" },
        { "wrong-shape", AttackerExamples, "", StatusCode.InvalidArgument, "tensor 'layer.weight' has shape [4], the global model has [2,2]" },
        { "wrong-dtype", AttackerExamples, "", StatusCode.InvalidArgument, "tensor 'layer.weight' is F64, the global model's is F32" },
        { "corrupt-header", AttackerExamples, "", StatusCode.InvalidArgument, "it is not a readable safetensors file: the update: the safetensors header is not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(PoisonedUpdates))]
    public async Task APoisonedUpdateIsRefusedAndTheRoundGoesOnWithTheHonestOnes(string update, long numExamples, string runConfig, StatusCode status, string reason)
    {
        var baseline = await BaselineHashAsync();
        await using var scenario = await FederationScenario.StartAsync(redis);
        var released = false;
        var honest = new[] { scenario.AddTrainer("ds-a", 1, 100), scenario.AddTrainer("ds-b", 3, 300) };
        foreach (var node in honest) node.Active = () => released; // the attacker's update arrives first
        var attacker = Attacker(scenario, "ds-evil");
        await attacker.RegisterAsync();
        await scenario.StartAsync([.. honest, scenario.AddEvaluator()]);
        var runId = await scenario.SubmitAsync($"num-server-rounds=1 min-train-nodes=3 initial-model={await UploadInitialModelAsync(scenario)} {runConfig}");

        var task = await attacker.PullAsync(TaskKind.Train, TaskWait);
        var crafted = Craft(update, TinyModel.Load(await attacker.DownloadGlobalModelAsync(task)));
        var refusal = await attacker.PushRefusedAsync(task, await attacker.UploadAsync(crafted, runId), numExamples);
        released = true;
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        Assert.Equal(status, refusal.StatusCode);
        Assert.Contains($"rejected: {reason}", refusal.Status.Detail);
        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        var rejected = Assert.Single(await EventsAsync(scenario, runId), e => e.Kind == RunEventKind.ResultRejected);
        Assert.Equal((attacker.NodeId, 1), (rejected.NodeId, rejected.Round));
        Assert.Contains($"Update rejected: {reason}", rejected.Message);
        Assert.Equal(1, run.Rounds[0].TrainMetrics["rejected-updates"]);
        Assert.Equal(2.5, run.Rounds[0].TrainMetrics["loss"], 6); // the honest nodes' losses, weighted by their examples
        Assert.Equal(baseline, run.Summary.GlobalModelHash);
    }

    [Fact]
    public async Task RandomBytesAnsweredToTheInitTaskAreRejectedAndAnotherNodeBuildsTheInitialModel()
    {
        var baseline = await BaselineHashAsync();
        await using var scenario = await FederationScenario.StartAsync(redis);
        var attacker = Attacker(scenario, "ds-0"); // first in the canonical order: it gets the first init task
        await attacker.RegisterAsync();
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100), scenario.AddTrainer("ds-b", 3, 300), scenario.AddEvaluator());
        var runId = await scenario.SubmitAsync("num-server-rounds=1 min-train-nodes=3");

        var init = await attacker.PullAsync(TaskKind.Init, TaskWait);
        var random = new byte[4096];
        new Random(11).NextBytes(random);
        var refusal = await attacker.PushRefusedAsync(init, await attacker.UploadAsync(random, runId), 0);
        await attacker.DeclineAsync(await attacker.PullAsync(TaskKind.Train, TaskWait));
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        Assert.Equal(StatusCode.InvalidArgument, refusal.StatusCode);
        Assert.Contains("rejected: it is not a readable safetensors file: the model: the header length prefix says", refusal.Status.Detail);
        var rejected = (await EventsAsync(scenario, runId)).First(e => e.Kind == RunEventKind.ResultRejected);
        Assert.Equal((attacker.NodeId, 0), (rejected.NodeId, rejected.Round));
        Assert.StartsWith("Init task failed: Update rejected: it is not a readable safetensors file", rejected.Message);
        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.Equal(InitialModelHash(), run.InitialModelHash);
        Assert.Equal(baseline, run.Summary.GlobalModelHash);
    }

    [Fact]
    public async Task ABlobOfAnotherRunIsNotAdoptedAsTheInitialModel()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100), scenario.AddTrainer("ds-b", 3, 300), scenario.AddEvaluator());
        var earlier = await RunWaiter.CompletedAsync(() => scenario.Host, await scenario.SubmitAsync("num-server-rounds=1 min-train-nodes=2"));
        var attacker = Attacker(scenario, "ds-0");
        await attacker.RegisterAsync();
        var runId = await scenario.SubmitAsync("num-server-rounds=1 min-train-nodes=3");

        var init = await attacker.PullAsync(TaskKind.Init, TaskWait);
        var stored = await attacker.PushRefusedAsync(init, earlier.Summary.GlobalModelHash, 0);
        var ownUpload = await attacker.PushRefusedAsync(init, await attacker.UploadAsync(Craft("honest", TinyModel.Uniform(5)), earlier.Summary.RunId), 0);
        await attacker.DeclineAsync(init);
        await attacker.DeclineAsync(await attacker.PullAsync(TaskKind.Train, TaskWait));
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        foreach (var refusal in new[] { stored, ownUpload })
        {
            Assert.Equal(StatusCode.PermissionDenied, refusal.StatusCode);
            Assert.Contains($"was not uploaded by node '{attacker.NodeId}' for run '{runId}'", refusal.Status.Detail);
        }
        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.Equal(earlier.InitialModelHash, run.InitialModelHash);
        Assert.Equal(earlier.Summary.GlobalModelHash, run.Summary.GlobalModelHash);
    }

    [Fact]
    public async Task AConfiguredInitialModelWithNaNValuesFailsTheRunBeforeAnyRound()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100));
        var bytes = Write((TinyModel.Uniform(1) with { Weight = [1f, float.NaN, 1f, float.NaN] }).Entries());
        var hash = (await BlobTransfer.UploadAsync(scenario.Host.Fleet, new MemoryStream(bytes), ContentHash.Of(bytes), bytes.Length, BlobCaller.Operator)).Sha256;

        var run = await RunWaiter.CompletedAsync(() => scenario.Host, await scenario.SubmitAsync($"num-server-rounds=1 initial-model={hash}"));

        Assert.Equal(RunStatus.Failed, run.Summary.Status);
        Assert.Equal($"initial-model blob {hash} cannot start the run: tensor 'layer.weight' has 2 NaN values.", run.Summary.Message);
        Assert.Equal("", run.InitialModelHash);
        Assert.Empty(run.Rounds);
    }

    /// <summary>The final model of the same run (one round, initial model 1.0, nodes +1 × 100 and +3 × 300) without the attacker.</summary>
    private async Task<string> BaselineHashAsync()
    {
        if (_baselineHash is not null) return _baselineHash;
        await using var scenario = await FederationScenario.StartAsync(redis);
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100), scenario.AddTrainer("ds-b", 3, 300), scenario.AddEvaluator());
        var run = await RunWaiter.CompletedAsync(() => scenario.Host,
            await scenario.SubmitAsync($"num-server-rounds=1 min-train-nodes=2 initial-model={await UploadInitialModelAsync(scenario)}"));
        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.All(TinyModel.Load(Path.Combine(scenario.BlobDirectory, run.Summary.GlobalModelHash[..2], run.Summary.GlobalModelHash)).Weight, w => Assert.Equal(3.5f, w));
        return _baselineHash = run.Summary.GlobalModelHash;
    }

    private static AttackerNode Attacker(FederationScenario scenario, string datasetId) =>
        new(() => scenario.Host, Path.Combine(scenario.WorkDirectory, "attacker"), datasetId, AttackerExamples);

    private static byte[] InitialModel() => Write(TinyModel.Uniform(1).Entries());

    private static string InitialModelHash() => ContentHash.Of(InitialModel());

    private static async Task<string> UploadInitialModelAsync(FederationScenario scenario)
    {
        var bytes = InitialModel();
        return (await BlobTransfer.UploadAsync(scenario.Host.Fleet, new MemoryStream(bytes), ContentHash.Of(bytes), bytes.Length, BlobCaller.Operator)).Sha256;
    }

    /// <summary>The attacker's answer, made from the global model it was given.</summary>
    private static byte[] Craft(string kind, TinyModel global)
    {
        var honest = global.Plus(1).Entries();
        return kind switch
        {
            "honest" => Write(honest),
            "all-nan" => Write((global.Plus(1) with { Weight = [float.NaN, float.NaN, float.NaN, float.NaN] }).Entries()),
            "one-inf" => Write((global.Plus(1) with { Weight = [2f, 2f, float.PositiveInfinity, 2f] }).Entries()),
            // 999 above the global model on each of 8 float elements: an L2 distance of 999·√8 ≈ 2825.6.
            "huge" => Write(TinyModel.Uniform(1000, global.Step + 1).Entries()),
            "empty" => Write([]),
            "missing" => Write(honest.Where(e => e.Name != "step").ToList()),
            "extra" => Write([.. honest, new SafetensorsEntry("backdoor", SafetensorsDType.F32, [1], 4, s => s.Write(new byte[4]))]),
            "wrong-shape" => Write(honest.Select(e => e.Name == "layer.weight" ? e with { Shape = [4] } : e).ToList()),
            "wrong-dtype" => Write(honest.Select(e => e.Name == "layer.weight" ? new SafetensorsEntry(e.Name, SafetensorsDType.F64, [2, 2], 32, s => s.Write(new byte[32])) : e).ToList()),
            "corrupt-header" => CorruptHeader(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such crafted update"),
        };
    }

    private static byte[] Write(IReadOnlyList<SafetensorsEntry> entries)
    {
        using var stream = new MemoryStream();
        SafetensorsWriter.Write(stream, entries, new Dictionary<string, string> { ["format"] = "pt" });
        return stream.ToArray();
    }

    private static byte[] CorruptHeader()
    {
        var header = Encoding.UTF8.GetBytes("{\"layer.weight\": {\"dtype\": \"F32\", \"shape\": [2, 2]");
        var bytes = new byte[8 + header.Length + 16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    private static async Task<List<RunEvent>> EventsAsync(FederationScenario scenario, string runId)
    {
        using var call = scenario.Host.Control.StreamRunEvents(new StreamRunEventsRequest { RunId = runId });
        var events = new List<RunEvent>();
        await foreach (var e in call.ResponseStream.ReadAllAsync()) events.Add(e);
        return events;
    }
}
