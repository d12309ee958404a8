using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Zk0.Federation.Protocol;
using Zk0.Federation.Strategies;
using Zk0.Policy.Checkpoints;
using Zk0.Policy.Abstractions;
using Zk0.SuperNode.Worker;
using Zk0.Tests.Policy.BehaviourCloning;
using static TorchSharp.torch;

namespace Zk0.Tests.SuperNode;

public sealed class SuperNodeTaskTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-supernode-").FullName;
    private readonly List<Activity> _spans = [];
    private ScriptedFleet _fleet = null!;
    private IHost _node = null!;
    private TracerProvider _tracing = null!;

    public async Task InitializeAsync()
    {
        _tracing = Sdk.CreateTracerProviderBuilder().AddSource("Zk0.SuperNode").AddInMemoryExporter(_spans).Build()!;
        _fleet = await ScriptedFleet.StartAsync();
        _node = SuperNodeHost.Build(_fleet.Address, "tiny:kitchen", Path.Combine(_directory, "work"));
        await _node.StartAsync();
    }

    [Fact]
    public async Task TheNodeRegistersWithAnAnonymousDatasetIdAndItsExampleCount()
    {
        var registration = await WaitForAsync(() => _fleet.Registrations.FirstOrDefault());

        Assert.Matches("^ds-[0-9a-f]{24}$", registration.DatasetId);
        Assert.DoesNotContain("kitchen", registration.ToString());
        Assert.Equal(48, registration.NumExamples);
        Assert.Equal("trainer", registration.Role);
        Assert.Contains("behaviour-cloning", registration.Capabilities["policy-types"]);
    }

    [Fact]
    public async Task TheNodeLongPollsAndStillPacesItsPullsWhenTheFleetAnswersAtOnce()
    {
        await WaitForAsync(() => _fleet.Pulls.FirstOrDefault());
        await System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(1));
        var pulls = _fleet.Pulls.ToArray();

        Assert.All(pulls, pull => Assert.Equal(10_000, pull.WaitMs));
        // This fleet ignores wait_ms and asks for 100 ms between pulls: about ten in that second, not a busy loop.
        Assert.True(pulls.Length <= 30, $"{pulls.Length} pulls in a second: the node did not keep retry_after_ms between them");
    }

    [Fact]
    public async Task AnInitTaskUploadsTheModelBuiltFromTheRunSeed()
    {
        _fleet.Enqueue(Task("init-1", TaskKind.Init, round: 0, config: new() { ["seed"] = "21" }));

        var result = await _fleet.NextResultAsync(Timeout);

        Assert.Equal("", result.Error);
        Assert.Equal("init-1", result.TaskId);
        var uploaded = SaveBlob(result.UpdateHash);
        using var expected = TinyPolicyData.CreatePolicy(seed: 21);
        using var imported = TinyPolicyData.CreatePolicy(seed: 99);
        imported.ImportTrainable(uploaded);
        Assert.All(expected.TrainableTensors.Zip(imported.TrainableTensors), pair => Assert.True(pair.First.Tensor.allclose(pair.Second.Tensor, 0, 0)));
    }

    [Fact]
    public async Task AnUploadThatFindsTheSuperLinkUnreachableIsRetriedUntilTheTasksDeadlineNotReportedAsAFailure()
    {
        var globalHash = GlobalModel(seed: 5);
        _fleet.UnavailableUploads = 3;
        var task = Task("train-while-restarting", TaskKind.Train, round: 1, globalHash, new() { ["seed"] = "5", ["local-steps"] = "1" });
        task.DeadlineUnixMs = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds();
        _fleet.Enqueue(task);

        var result = await _fleet.NextResultAsync(Timeout);

        Assert.Equal("", result.Error);
        Assert.Equal(4, _fleet.UploadAttempts);
        Assert.True(_fleet.Blobs.ContainsKey(result.UpdateHash), "the update the result names was never stored");
    }

    [Fact]
    public async Task ATrainTaskTrainsFromTheGlobalModelAndPushesTheUpdateWithMetrics()
    {
        var globalHash = GlobalModel(seed: 5);
        _fleet.Enqueue(Task("train-1", TaskKind.Train, round: 1, globalHash,
            new() { ["seed"] = "5", ["local-steps"] = "4", ["batch-size"] = "8", ["proximal-mu"] = "0.1" }));

        var result = await _fleet.NextResultAsync(Timeout);

        Assert.Equal("", result.Error);
        Assert.Equal(globalHash, result.BaseModelHash);
        Assert.Equal(32, result.NumExamples);
        Assert.Equal(4, result.Metrics["steps"]);
        Assert.True(result.Metrics["loss"] > 0);
        Assert.True(result.Metrics["update-norm"] > 0);
        Assert.True(result.Metrics["proximal-term"] > 0);
        Assert.NotEqual(globalHash, result.UpdateHash);
        Assert.Equal(_fleet.Blobs[result.UpdateHash].Length, result.UpdateSizeBytes);
    }

    [Fact]
    public async Task WithScaffoldTheModelCarriesControlVariatesWhichTheNodeMeasuresAndCorrectsBy()
    {
        async Task<PushResultRequest> RunAsync(string id, TaskKind kind, int round, string globalHash, string runId, string driftCorrection)
        {
            var task = Task(id, kind, round, globalHash, new() { ["seed"] = "9", ["local-steps"] = "3", ["batch-size"] = "8", ["drift-correction"] = driftCorrection });
            task.RunId = runId;
            _fleet.Enqueue(task);
            return await _fleet.NextResultAsync(Timeout);
        }
        async Task<string> TrainAsync(int round, string globalHash, string runId, string driftCorrection)
        {
            var result = await RunAsync($"{runId}-{round}", TaskKind.Train, round, globalHash, runId, driftCorrection);
            Assert.Equal("", result.Error);
            return result.UpdateHash;
        }

        var initial = (await RunAsync("init-scaffold", TaskKind.Init, 0, "", "run-scaffold", "scaffold")).UpdateHash;
        var model = Tensors(initial);
        var controls = model.Where(t => ControlVariateTensors.Is(t.Key)).ToList();
        Assert.Equal(model.Count / 2, controls.Count);
        Assert.All(controls, c => Assert.True(model.ContainsKey(c.Key[ControlVariateTensors.Prefix.Length..])));
        Assert.All(controls, c => Assert.Equal(0, c.Value.abs().max().item<float>()));

        // Round 2 from a global model whose c is zero (the other nodes' mean gradients cancelled this one's): the node's
        // gradients get −c_i. The node keeps one run's state at a time, so each run's rounds follow one another.
        var scaffoldFirst = await TrainAsync(1, initial, "run-scaffold", "scaffold");
        var scaffold = Tensors(scaffoldFirst);
        var zeroControl = Path.Combine(_directory, "zero-control.safetensors");
        SafetensorsTorch.Save(zeroControl, scaffold.Select(t => ControlVariateTensors.Is(t.Key) ? new(t.Key, zeros_like(t.Value)) : t));
        var secondGlobal = _fleet.AddBlob(File.ReadAllBytes(zeroControl));
        var scaffoldSecond = Tensors(await TrainAsync(2, secondGlobal, "run-scaffold", "scaffold"));
        var plainFirst = await TrainAsync(1, initial, "run-plain", "none");
        var plainSecond = Tensors(await TrainAsync(2, secondGlobal, "run-plain", "none"));

        // Round 1 is uncorrected (the node has no c_i yet): the weights are plain training's, and the update brings c_i.
        var plain = Tensors(plainFirst);
        Assert.DoesNotContain(plain.Keys, ControlVariateTensors.Is);
        Assert.All(plain, t => Assert.True(t.Value.allclose(scaffold[t.Key], 0, 0)));
        Assert.Contains(scaffold, t => ControlVariateTensors.Is(t.Key) && t.Value.abs().max().item<float>() > 0);
        // Round 2 is corrected: its weights leave plain training's.
        Assert.Contains(plainSecond, t => !t.Value.allclose(scaffoldSecond[t.Key]));

        // A model without control variates (one made for a run without SCAFFOLD) is refused by name.
        var refused = await RunAsync("run-scaffold-3", TaskKind.Train, 3, plainFirst, "run-scaffold", "scaffold");
        Assert.Contains("no SCAFFOLD control variate 'scaffold.control/", refused.Error);
        Assert.Contains("drift-correction", refused.Error);
    }

    [Theory]
    [InlineData("adamw", "8")]
    [InlineData("sgd", "2")]
    public async Task TheSameTrainTaskInAnotherRunUploadsTheSameUpdate(string optimizer, string batchSize)
    {
        var globalHash = GlobalModel(seed: 4);
        async Task<string> TrainAsync(string runId)
        {
            var task = Task($"{runId}-1", TaskKind.Train, 1, globalHash,
                new() { ["seed"] = "4", ["local-steps"] = "10", ["batch-size"] = batchSize, ["local-optimizer"] = optimizer, ["learning-rate"] = "0.01" });
            task.RunId = runId;
            _fleet.Enqueue(task);
            var result = await _fleet.NextResultAsync(Timeout);
            Assert.Equal("", result.Error);
            return result.UpdateHash;
        }

        Assert.Equal(await TrainAsync("run-first"), await TrainAsync("run-again"));
    }

    [Fact]
    public async Task SeveralPassesOverTheSplitCountItsExamplesOnceInTheResult()
    {
        _fleet.Enqueue(Task("train-passes", TaskKind.Train, round: 1, GlobalModel(seed: 6), new() { ["seed"] = "6", ["local-steps"] = "4", ["batch-size"] = "16" }));

        var result = await _fleet.NextResultAsync(Timeout);

        Assert.Equal("", result.Error);
        Assert.Equal(64, result.Metrics["examples"]); // 4 steps × 16 examples, more than the 48 of the split
        Assert.Equal(48, result.NumExamples); // what the node registered with: the SuperLink accepts no more
    }

    [Fact]
    public async Task AnUnknownGlobalModelIsReportedAsAnErrorAndTheNodeKeepsWorking()
    {
        _fleet.Enqueue(Task("train-bad", TaskKind.Train, round: 1, new string('a', 64), new() { ["local-steps"] = "1" }));
        _fleet.Enqueue(Task("init-after", TaskKind.Init, round: 0, config: new() { ["seed"] = "1" }));

        var failed = await _fleet.NextResultAsync(Timeout);
        var next = await _fleet.NextResultAsync(Timeout);

        Assert.Equal("train-bad", failed.TaskId);
        Assert.Contains("not found", failed.Error);
        Assert.Equal("", failed.UpdateHash);
        Assert.Equal("init-after", next.TaskId);
        Assert.Equal("", next.Error);
    }

    [Fact]
    public async Task ABadRunSettingIsReportedWithItsName()
    {
        _fleet.Enqueue(Task("train-cfg", TaskKind.Train, round: 1, GlobalModel(seed: 1), new() { ["local-steps"] = "lots" }));

        var result = await _fleet.NextResultAsync(Timeout);

        Assert.Contains("local-steps", result.Error);
    }

    [Fact]
    public async Task TaskSpansAreChildrenOfTheRoundTraceCarriedByTheTask()
    {
        // The SuperLink's round span is sampled, so its traceparent carries the "recorded" flag.
        using var round = new Activity("round 1").SetIdFormat(ActivityIdFormat.W3C);
        round.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        round.Start();
        var traceparent = round.Id!;
        round.Stop();
        var task = Task("train-trace", TaskKind.Train, round: 1, GlobalModel(seed: 3), new() { ["local-steps"] = "1" });
        task.Traceparent = traceparent;
        _fleet.Enqueue(task);

        await _fleet.NextResultAsync(Timeout);
        _tracing.ForceFlush();

        var span = await WaitForAsync(() => _spans.ToArray().FirstOrDefault(s => s.TraceId == round.TraceId));
        Assert.Equal("supernode train", span.DisplayName);
        Assert.Equal(round.SpanId, span.ParentSpanId);
        Assert.Equal("train-trace", span.GetTagItem("zk0.task_id"));
    }

    [Fact]
    public async Task TheNodeRegistersAgainWhenTheSuperLinkNoLongerKnowsIt()
    {
        await WaitForAsync(() => _fleet.Registrations.FirstOrDefault());
        _fleet.ForgottenNodes["node-1"] = true;

        var second = await WaitForAsync(() => _fleet.Registrations.Count >= 2 ? _fleet.Registrations.First() : null);

        Assert.Equal(_fleet.Registrations.Last().DatasetId, second.DatasetId);
        // The server records the registration before the node has read its reply: wait for the node to take its new id.
        var status = _node.Services.GetRequiredService<NodeStatus>();
        Assert.Equal("node-2", await WaitForAsync(() => status.Snapshot().NodeId is "node-2" ? "node-2" : null));
    }

    private string GlobalModel(long seed) => _fleet.AddTinyModel(seed);

    private Dictionary<string, Tensor> Tensors(string hash) => SafetensorsTorch.LoadAll(SaveBlob(hash));

    private string SaveBlob(string hash)
    {
        var path = Path.Combine(_directory, $"{hash}.safetensors");
        File.WriteAllBytes(path, _fleet.Blobs[hash]);
        return path;
    }

    private static FederatedTask Task(string id, TaskKind kind, int round, string globalHash = "", Dictionary<string, string>? config = null) =>
        NodeTasks.Create(id, kind, round, globalHash, config);

    private static async Task<T> WaitForAsync<T>(Func<T?> probe) where T : class
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } value) return value;
            await System.Threading.Tasks.Task.Delay(50);
        }
        throw new TimeoutException("condition not met in time");
    }

    public async Task DisposeAsync()
    {
        await _node.StopAsync();
        _node.Dispose();
        await _fleet.DisposeAsync();
        _tracing.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
