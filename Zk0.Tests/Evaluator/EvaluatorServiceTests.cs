using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Zk0.Evaluator.Evaluations;
using Zk0.Evaluator.Extensions;
using Zk0.Evaluator.Worker;
using Zk0.Federation.Protocol;
using Zk0.Policy.Abstractions;
using Zk0.Tests.Policy.BehaviourCloning;
using Zk0.Tests.SuperNode;

namespace Zk0.Tests.Evaluator;

/// <summary>The Evaluator service as Program.cs builds it, against in-process Fleet and Control gRPC servers.</summary>
public sealed class EvaluatorServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-evaluator-").FullName;
    private readonly RecordingControl _control = new();
    private readonly List<Activity> _spans = [];
    private ScriptedFleet _fleet = null!;
    private WebApplication _evaluator = null!;
    private TracerProvider _tracing = null!;

    public async Task InitializeAsync()
    {
        _tracing = Sdk.CreateTracerProviderBuilder().AddSource("Zk0.Evaluator").AddInMemoryExporter(_spans).Build()!;
        _fleet = await ScriptedFleet.StartAsync(s => s.AddSingleton(_control), app => app.MapGrpcService<RecordingControl>());
        _evaluator = await EvaluatorHost.StartAsync(_fleet.Address, ["tiny:a", "tiny:b"], Path.Combine(_directory, "work"));
    }

    [Fact]
    public async Task AnEvaluateTaskIsScoredOnTheHeldOutSetsAndRecordedWithTheSuperLink()
    {
        var (hash, path) = Model(seed: 8);
        using var round = RoundActivity();
        _fleet.Enqueue(EvaluateTask("eval-1", round: 2, hash, round.Id!));

        var recorded = await _control.NextAsync(Timeout);

        Assert.Equal("run-e", recorded.RunId);
        Assert.Equal(2, recorded.Round);
        Assert.Equal(hash, recorded.ModelHash);
        Assert.Equal("eval-1", recorded.TaskId);
        Assert.Equal(["tiny:a", "tiny:b"], recorded.Datasets.Keys.Order());
        Assert.Equal(48, recorded.Metrics["examples"]);
        using var policy = TinyPolicyData.CreatePolicy(seed: 1);
        policy.ImportTrainable(path);
        var expected = policy.Evaluate(new TinyDatasetSource().Open("tiny:a", DatasetSplit.HeldOut).SequentialBatches(16), new PolicyEvaluationOptions());
        Assert.Equal(expected.Loss, recorded.Datasets["tiny:a"].Loss, 10);
        Assert.Equal(expected.Examples, recorded.Datasets["tiny:a"].NumExamples);

        _tracing.ForceFlush();
        var span = await WaitForAsync(() => _spans.ToArray().FirstOrDefault(s => s.TraceId == round.TraceId));
        Assert.Equal("evaluator evaluate", span.DisplayName);
        Assert.Equal(round.SpanId, span.ParentSpanId);
    }

    [Fact]
    public async Task UnseenTasksAreScoredButReportedApartFromTheNodesTasks()
    {
        var (hash, _) = Model(seed: 9);
        using var round = RoundActivity();
        var task = EvaluateTask("eval-unseen", round: 1, hash, round.Id!);
        task.Config[RunSettings.EvalDatasetsKey] = "tiny:a";
        task.Config[RunSettings.EvalUnseenDatasetsKey] = "tiny:b";
        _fleet.Enqueue(task);

        var recorded = await _control.NextAsync(Timeout);

        Assert.Equal(["tiny:a", "tiny:b"], recorded.Datasets.Keys.Order());
        Assert.Equal(recorded.Datasets["tiny:a"].Loss, recorded.Loss, 10);
        Assert.Equal(recorded.Datasets["tiny:a"].NumExamples, recorded.Metrics["examples"]);
        Assert.Equal(recorded.Datasets["tiny:b"].Loss, recorded.Metrics["unseen_loss"], 10);
        Assert.Equal(recorded.Datasets["tiny:b"].NumExamples, recorded.Metrics["unseen_examples"]);
        Assert.NotEqual(recorded.Loss, recorded.Metrics["unseen_loss"]);
        Assert.Equal(1, recorded.Datasets["tiny:b"].Metrics[UnseenMetrics.UnseenFlag]);
        Assert.False(recorded.Datasets["tiny:a"].Metrics.ContainsKey(UnseenMetrics.UnseenFlag));
    }

    [Fact]
    public async Task AnUnseenTaskThatCannotBeScoredLeavesTheNodesTasksEvaluation()
    {
        var (hash, _) = Model(seed: 10);
        using var round = RoundActivity();
        var task = EvaluateTask("eval-unseen-broken", round: 1, hash, round.Id!);
        task.Config[RunSettings.EvalUnseenDatasetsKey] = "nowhere:unseen";
        _fleet.Enqueue(task);

        var recorded = await _control.NextAsync(Timeout);

        Assert.Equal(["tiny:a", "tiny:b"], recorded.Datasets.Keys.Order());
        Assert.Equal(48, recorded.Metrics["examples"]);
        Assert.DoesNotContain(recorded.Metrics.Keys, k => k.StartsWith("unseen_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheEvaluatorLongPollsForItsTasks()
    {
        var pull = await WaitForAsync(() => _fleet.Pulls.FirstOrDefault());

        Assert.Equal(10_000, pull.WaitMs);
    }

    [Fact]
    public async Task EvaluationsAreServedOverHttpPerRun()
    {
        var (hash, _) = Model(seed: 9);
        _fleet.Enqueue(EvaluateTask("eval-2", round: 1, hash, ""));
        var recorded = await _control.NextAsync(Timeout);
        using var http = new HttpClient { BaseAddress = new Uri(_evaluator.Urls.First()) };

        var lastResponse = "";
        var rounds = await WaitForAsync(async () =>
        {
            var response = await http.GetAsync("/evaluations/run-e");
            lastResponse = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : (JsonElement?)null;
        }, () => lastResponse);
        var missing = await http.GetAsync("/evaluations/no-such-run");

        var first = rounds.EnumerateArray().Single();
        Assert.Equal(1, first.GetProperty("round").GetInt32());
        Assert.Equal(recorded.Loss, first.GetProperty("loss").GetDouble(), 10);
        Assert.Equal(hash, first.GetProperty("modelHash").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no-such-run", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AModelThatCannotBeDownloadedIsSkippedAndTheNextOneIsStillScored()
    {
        var (hash, _) = Model(seed: 10);
        _fleet.Enqueue(EvaluateTask("eval-bad", round: 1, new string('b', 64), ""));
        _fleet.Enqueue(EvaluateTask("eval-good", round: 2, hash, ""));

        var recorded = await _control.NextAsync(Timeout);

        Assert.Equal("eval-good", recorded.TaskId);
    }

    [Fact]
    public async Task TheEvaluatorKeepsItsLeaseWhileATaskTakesLongerThanTheLease()
    {
        // The scripted SuperLink grants a 2 s lease with 200 ms heartbeats; this evaluation takes over 2.5 s to report.
        _control.ReplyDelay = TimeSpan.FromSeconds(2.5);
        var (hash, _) = Model(seed: 11);
        var started = DateTimeOffset.UtcNow;
        _fleet.Enqueue(EvaluateTask("eval-slow", round: 3, hash, ""));

        var recorded = await _control.NextAsync(Timeout);

        Assert.Equal("eval-slow", recorded.TaskId);
        // An idle evaluator only pulls: these heartbeats all came while the task was being scored and reported.
        var during = _fleet.Heartbeats.Where(at => at >= started).Order().ToList();
        // What matters is the lease: no silence as long as it (a loaded machine may stretch the 200 ms interval, not that).
        var lease = TimeSpan.FromSeconds(2);
        Assert.True(during.Count >= 2, $"Expected heartbeats during the 2.5 s evaluation, got {during.Count}.");
        Assert.All(during.Zip(during.Skip(1), (a, b) => b - a), gap => Assert.True(gap < lease, $"A {gap} gap between heartbeats lets the {lease} lease lapse."));
    }

    private static Activity RoundActivity()
    {
        var round = new Activity("round").SetIdFormat(ActivityIdFormat.W3C);
        round.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        round.Start();
        round.Stop();
        return round;
    }

    private (string Hash, string Path) Model(long seed)
    {
        using var policy = TinyPolicyData.CreatePolicy(seed);
        var path = Path.Combine(_directory, $"model-{seed}.safetensors");
        policy.ExportTrainable(path);
        return (_fleet.AddBlob(File.ReadAllBytes(path)), path);
    }

    private static FederatedTask EvaluateTask(string id, int round, string hash, string traceparent) => new()
    {
        TaskId = id,
        RunId = "run-e",
        Round = round,
        Kind = TaskKind.Evaluate,
        GlobalModelHash = hash,
        Traceparent = traceparent,
        Config = { ["seed"] = "1", ["policy"] = "bc" },
    };

    private static async Task<T> WaitForAsync<T>(Func<T?> probe) where T : class
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } value) return value;
            await Task.Delay(50);
        }
        throw new TimeoutException("condition not met in time");
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, Func<string> describe) where T : struct
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value) return value;
            await Task.Delay(50);
        }
        throw new TimeoutException($"condition not met in time; last answer: {describe()}");
    }

    public async Task DisposeAsync()
    {
        await _evaluator.StopAsync();
        await _evaluator.DisposeAsync();
        await _fleet.DisposeAsync();
        _tracing.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
