using System.Diagnostics;
using Microsoft.Extensions.Options;
using Zk0.Evaluator.Evaluations;
using Zk0.Policy.Evaluation;
using Zk0.Evaluator.Telemetry;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Federation.Tracing;
using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Evaluator.Worker;

/// <summary>
/// Scores one committed global model: download it (hash verified), compute the held-out loss per dataset (and the
/// closed-loop success rate on datasets with a simulator, recording its first episodes as videos) on the nodes' tasks and,
/// apart, on the unseen tasks,
/// report it to the SuperLink with RecordEvaluation and keep a copy for the HTTP API.
/// </summary>
public sealed partial class EvaluationTaskRunner(
    Federation.Protocol.Fleet.FleetClient fleet,
    Control.ControlClient control,
    ModelScorer scorer,
    PolicyWorkGate policyGate,
    EvaluationStore store,
    EvaluationVideoStore videos,
    IOptions<EvaluatorOptions> options,
    ILogger<EvaluationTaskRunner> logger)
{
    public const string LossMetric = "loss";
    public const string ActionErrorMetric = "action_error";
    public const string SuccessRateMetric = "success_rate";

    private readonly EvaluatorOptions _options = options.Value;

    public async Task RunAsync(string nodeId, FederatedTask task, CancellationToken cancellationToken)
    {
        using var activity = RoundTraceContext.StartActivity(EvaluatorTelemetry.ActivitySource, "evaluator evaluate", task.Traceparent);
        activity?.SetTag("zk0.run_id", task.RunId);
        activity?.SetTag("zk0.round", task.Round);
        activity?.SetTag("zk0.task_id", task.TaskId);
        activity?.SetTag("zk0.model_hash", task.GlobalModelHash);
        var directory = Path.Combine(_options.WorkDirectory, task.TaskId);
        try
        {
            if (task.Kind != TaskKind.Evaluate)
                throw new InvalidOperationException($"Task {task.TaskId} is a {task.Kind} task; the Evaluator only evaluates.");
            if (!ContentHash.IsWellFormed(task.GlobalModelHash))
                throw new InvalidDataException($"Evaluate task {task.TaskId} names no valid model hash ('{task.GlobalModelHash}').");

            var stopwatch = Stopwatch.StartNew();
            var settings = RunSettings.From(task.Config);
            var datasets = EvaluationDatasets.For(task.Config, _options);
            var unseen = EvaluationDatasets.UnseenFor(task.Config, _options, datasets);
            var modelPath = Path.Combine(directory, "model.safetensors");
            var roundVideos = videos.ForRound(task.RunId, task.Round, settings);
            await BlobTransfer.DownloadToFileAsync(fleet, task.GlobalModelHash, modelPath, new BlobCaller(nodeId, task.RunId), cancellationToken);
            var (score, unseenScore) = await policyGate.RunAsync(() => TorchNativeRetry.Run(
                () => (scorer.Score(modelPath, settings, datasets, _options.EvaluationSeed, Device, cancellationToken, roundVideos),
                    ScoreUnseen(task, modelPath, settings, unseen, cancellationToken)),
                error => LogRetry(task.RunId, task.Round, error.Message)), cancellationToken);
            var seconds = stopwatch.Elapsed.TotalSeconds;
            EvaluatorTelemetry.EvaluationSeconds.Record(seconds);
            activity?.SetTag("zk0.eval_loss", score.Loss);

            var request = new RecordEvaluationRequest
            {
                RunId = task.RunId,
                Round = task.Round,
                ModelHash = task.GlobalModelHash,
                Loss = score.Loss,
                TaskId = task.TaskId,
                NodeId = nodeId,
                Metrics = { ["examples"] = score.Examples, ["eval-seconds"] = seconds, [LossMetric] = score.Loss },
            };
            if (score.ActionError is double actionError) request.Metrics[ActionErrorMetric] = actionError;
            if (score.SuccessRate is double successRate) request.Metrics[SuccessRateMetric] = successRate;
            foreach (var (uri, dataset) in score.Datasets)
            {
                var entry = new DatasetEvaluation { Loss = dataset.Loss, NumExamples = dataset.Examples, Metrics = { [LossMetric] = dataset.Loss } };
                if (dataset.ActionError is double datasetError) entry.Metrics[ActionErrorMetric] = datasetError;
                if (dataset.SuccessRate is double datasetSuccess) entry.Metrics[SuccessRateMetric] = datasetSuccess;
                request.Datasets[uri] = entry;
            }
            if (unseenScore is not null) UnseenMetrics.AddTo(request, unseenScore);
            await control.RecordEvaluationAsync(request, cancellationToken: cancellationToken);

            var scoredDatasets = unseenScore is null ? score.Datasets : score.Datasets.Concat(unseenScore.Datasets).ToDictionary();
            store.Add(new RoundEvaluation(task.RunId, task.Round, task.GlobalModelHash, score.Loss, score.Examples, scoredDatasets, seconds, DateTimeOffset.UtcNow));
            LogEvaluated(task.RunId, task.Round, score.Loss, score.Examples, datasets.Count, seconds);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The SuperLink completes the round without a server evaluation once eval-timeout-seconds pass.
            activity?.SetStatus(ActivityStatusCode.Error, error.Message);
            LogFailed(task.RunId, task.Round, error.Message);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    // An unseen task the run's policy cannot score (e.g. other cameras than the nodes' data) must not cost the round its evaluation.
    private ModelScore? ScoreUnseen(FederatedTask task, string modelPath, RunSettings settings, IReadOnlyList<string> unseen, CancellationToken cancellationToken)
    {
        if (unseen.Count == 0) return null;
        try
        {
            return scorer.Score(modelPath, settings, unseen, _options.EvaluationSeed, Device, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException && error is not System.Runtime.InteropServices.ExternalException)
        {
            LogUnseenFailed(task.RunId, task.Round, error.Message);
            return null;
        }
    }

    private Device Device => _options.Device.Equals("cuda", StringComparison.OrdinalIgnoreCase) ? CUDA : CPU;

    [LoggerMessage(LogLevel.Information, "Run {RunId} round {Round}: held-out loss {Loss:F4} over {Examples} examples of {Datasets} datasets ({Seconds:F1} s)")]
    private partial void LogEvaluated(string runId, int round, double loss, long examples, int datasets, double seconds);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} round {Round}: libtorch failed during scoring ({Reason}); scoring again")]
    private partial void LogRetry(string runId, int round, string reason);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} round {Round}: the unseen tasks cannot be scored ({Reason}); recording the nodes' tasks only")]
    private partial void LogUnseenFailed(string runId, int round, string reason);

    [LoggerMessage(LogLevel.Error, "Run {RunId} round {Round}: evaluation failed: {Reason}")]
    private partial void LogFailed(string runId, int round, string reason);
}
