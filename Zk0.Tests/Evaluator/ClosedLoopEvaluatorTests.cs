using System.Net;
using Grpc.Core;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Zk0.AppHost.Runs;
using Zk0.Datasets.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Zk0.Evaluator.Worker;
using Zk0.Federation.Protocol;
using Zk0.Policy.Abstractions;
using Zk0.Policy.BehaviourCloning;
using Zk0.Tests.AppHost.Runs;
using Zk0.Tests.Datasets.Simulation;
using Zk0.Tests.Policy.Evaluation;
using Zk0.Tests.SuperNode;

namespace Zk0.Tests.Evaluator;

/// <summary>The Evaluator scoring a real synth: dataset (it has a simulator) next to a local one (it has not).</summary>
[Collection(SyntheticEvaluationCollection.Name)]
public sealed class ClosedLoopEvaluatorTests(SyntheticEvaluationData data) : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-evaluator-closed-loop-").FullName;
    private readonly RecordingControl _control = new();
    private ScriptedFleet _fleet = null!;
    private WebApplication _evaluator = null!;

    public async Task InitializeAsync()
    {
        _fleet = await ScriptedFleet.StartAsync(s => s.AddSingleton(_control), app => app.MapGrpcService<RecordingControl>());
        _evaluator = await EvaluatorHost.StartAsync(_fleet.Address, [SyntheticEvaluationData.SynthUri, data.LocalUri], Path.Combine(_directory, "work"), data.Source);
    }

    [Fact]
    public async Task RecordEvaluation_carries_success_rate_for_the_synth_dataset_and_overall_but_not_for_the_local_one()
    {
        _fleet.Enqueue(EvaluateTask("eval-cl", Model(), ("eval-episodes", "1"), ("eval-max-steps", "15")));

        var recorded = await _control.NextAsync(TimeSpan.FromSeconds(120));

        var synth = recorded.Datasets[SyntheticEvaluationData.SynthUri].Metrics;
        Assert.InRange(synth[EvaluationTaskRunner.SuccessRateMetric], 0.0, 1.0);
        Assert.Equal(synth[EvaluationTaskRunner.SuccessRateMetric], recorded.Metrics[EvaluationTaskRunner.SuccessRateMetric]);
        Assert.False(recorded.Datasets[data.LocalUri].Metrics.ContainsKey(EvaluationTaskRunner.SuccessRateMetric));
        Assert.True(recorded.Datasets[data.LocalUri].Metrics.ContainsKey(EvaluationTaskRunner.LossMetric));
    }

    [Fact]
    public async Task With_eval_episodes_zero_no_success_rate_is_recorded()
    {
        _fleet.Enqueue(EvaluateTask("eval-off", Model(), ("eval-episodes", "0")));

        var recorded = await _control.NextAsync(TimeSpan.FromSeconds(120));

        Assert.False(recorded.Metrics.ContainsKey(EvaluationTaskRunner.SuccessRateMetric));
        Assert.All(recorded.Datasets.Values, d => Assert.False(d.Metrics.ContainsKey(EvaluationTaskRunner.SuccessRateMetric)));
        using var http = EvaluatorHttp();
        Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>("runs/run-cl/videos?round=1")).GetArrayLength());
    }

    [Fact]
    public async Task An_evaluated_round_records_a_video_of_the_synth_task_that_the_API_lists_and_serves_and_the_AppHost_saves()
    {
        _fleet.Enqueue(EvaluateTask("eval-video", Model(), ("eval-episodes", "2"), ("eval-max-steps", "8"), ("eval-videos", "1")));
        await _control.NextAsync(TimeSpan.FromSeconds(120));
        using var http = EvaluatorHttp();
        var task = SyntheticDatasetUri.Parse(SyntheticEvaluationData.SynthUri).Task.Name;

        var listed = await http.GetFromJsonAsync<JsonElement>("runs/run-cl/videos?round=1");

        var video = Assert.Single(listed.EnumerateArray());
        Assert.Equal((1, task, 0, "episode-0.mp4", 8), (video.GetProperty("round").GetInt32(), video.GetProperty("task").GetString(),
            video.GetProperty("episode").GetInt32(), video.GetProperty("video").GetString(), video.GetProperty("steps").GetInt32()));
        using var mp4 = await http.GetAsync($"runs/run-cl/videos/1/{task}/episode-0.mp4");
        Assert.Equal(HttpStatusCode.OK, mp4.StatusCode);
        Assert.Equal("video/mp4", mp4.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"runs/run-cl/videos/1/{task}/episode-1.mp4")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"runs/run-cl/videos/2/{task}/episode-0.mp4")).StatusCode);

        // The AppHost's run follower after the round: it copies the videos into the run's outputs and lists them in run.json.
        await using var superLink = await ScriptedFleet.StartAsync(services => services.AddSingleton(new FinishedRun("run-cl")), app => app.MapGrpcService<FinishedRun>());
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(superLink.Address);
        using (var outputs = new RunOutputs(new Control.ControlClient(channel), new Fleet.FleetClient(channel), Path.Combine(_directory, "outputs"), "run-cl",
                   new Dictionary<string, string> { ["policy"] = "bc", ["num-server-rounds"] = "3" }, SampleRun.NodeDatasets, _ => { }, new EvaluationVideoDownloader(http)))
        {
            await outputs.StartAsync(CancellationToken.None);
            await outputs.RoundCompletedAsync(1, CancellationToken.None);

            var saved = Assert.Single(outputs.Videos);
            Assert.Equal($"evaluate/round-1/{task}/episode-0.mp4", saved.VideoPath);
            Assert.Equal($"evaluate/round-1/{task}/episode-0.json", saved.InfoPath);
            Assert.Equal((8, false), (saved.Steps, saved.Success));
            Assert.Equal(new VideoProbe("h264", 256, 192, 1 + 8 + SimulatorOptions.Default.Fps), VideoProbe.Read(Path.Combine(outputs.Directory, saved.VideoPath)));
            var info = JsonSerializer.Deserialize<RolloutVideoInfo>(File.ReadAllText(Path.Combine(outputs.Directory, saved.InfoPath)))!;
            Assert.Equal((task, 8), (info.Task, info.Steps));
            using var runJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(outputs.Directory, RunJsonFile.FileName)));
            Assert.Equal([saved.VideoPath], runJson.RootElement.GetProperty("evaluation_videos").EnumerateArray().Select(v => v.GetProperty("video").GetString()));
        }
    }

    /// <summary>The Control API's GetRun and ListNodes as a SuperLink answers them for a finished three-round run (every round evaluated).</summary>
    private sealed class FinishedRun(string runId) : Control.ControlBase
    {
        public override Task<RunDetail> GetRun(GetRunRequest request, ServerCallContext context)
        {
            var run = SampleRun.Detail();
            run.Summary.RunId = runId;
            return Task.FromResult(run);
        }

        public override Task<ListNodesReply> ListNodes(ListNodesRequest request, ServerCallContext context) => Task.FromResult(new ListNodesReply());
    }

    private HttpClient EvaluatorHttp() => new() { BaseAddress = new Uri(_evaluator.Urls.First().TrimEnd('/') + "/") };

    private string Model()
    {
        using var heldOut = data.Source.Open(SyntheticEvaluationData.SynthUri, DatasetSplit.HeldOut);
        using var policy = new BehaviourCloningPolicyFactory().Create(new PolicyCreateOptions(heldOut.Features, new Dictionary<string, string>(), 5));
        var path = Path.Combine(_directory, "model.safetensors");
        policy.ExportTrainable(path);
        return _fleet.AddBlob(File.ReadAllBytes(path));
    }

    private static FederatedTask EvaluateTask(string id, string hash, params (string Key, string Value)[] config)
    {
        var task = new FederatedTask
        {
            TaskId = id,
            RunId = "run-cl",
            Round = 1,
            Kind = TaskKind.Evaluate,
            GlobalModelHash = hash,
            Config = { ["seed"] = "1", ["policy"] = "bc" },
        };
        foreach (var (key, value) in config) task.Config[key] = value;
        return task;
    }

    public async Task DisposeAsync()
    {
        await _evaluator.StopAsync();
        await _evaluator.DisposeAsync();
        await _fleet.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
