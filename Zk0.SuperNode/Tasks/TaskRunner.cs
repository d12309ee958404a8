using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Federation.Runs;
using Zk0.Federation.Tracing;
using Zk0.Policy.Abstractions;
using Zk0.SuperNode.Telemetry;
using Zk0.SuperNode.Worker;
using static TorchSharp.torch;
using FleetClient = Zk0.Federation.Protocol.Fleet.FleetClient;

namespace Zk0.SuperNode.Tasks;

/// <summary>
/// Runs one task inside a span that continues the round's trace: <c>init</c> builds and uploads the
/// run's initial model, <c>train</c> downloads the global model (hash verified), trains on the TRAIN
/// split and uploads the update. Every outcome, success or failure, is pushed back as a result.
/// </summary>
public sealed partial class TaskRunner(
    FleetClient fleet,
    ResultPusher pusher,
    TransientRetry retry,
    PolicyCache policies,
    NodeStatus status,
    IOptions<SuperNodeOptions> options,
    ILogger<TaskRunner> logger)
{
    private readonly SuperNodeOptions _options = options.Value;

    public IReadOnlyCollection<string> PolicyTypes => policies.PolicyTypes;

    public async Task RunAsync(NodeSession session, FederatedTask task, CancellationToken cancellationToken)
    {
        var kind = task.Kind switch { TaskKind.Init => "init", TaskKind.Train => "train", TaskKind.Evaluate => "evaluate", _ => "unknown" };
        using var activity = RoundTraceContext.StartActivity(SuperNodeTelemetry.ActivitySource, $"supernode {kind}", task.Traceparent);
        activity?.SetTag("zk0.run_id", task.RunId);
        activity?.SetTag("zk0.round", task.Round);
        activity?.SetTag("zk0.task_id", task.TaskId);
        activity?.SetTag("zk0.node_id", session.NodeId);
        status.Set($"{kind} run {task.RunId} round {task.Round}");
        LogTaskStarted(kind, task.RunId, task.Round, task.TaskId);

        var workDirectory = Path.Combine(_options.WorkDirectory, session.NodeId, task.TaskId);
        Directory.CreateDirectory(workDirectory);
        PushResultRequest result;
        try
        {
            result = task.Kind switch
            {
                TaskKind.Init => await InitAsync(session, task, workDirectory, cancellationToken),
                TaskKind.Train => await TrainAsync(session, task, workDirectory, cancellationToken),
                _ => throw new InvalidOperationException($"Task kind {task.Kind} is not handled by trainer nodes."),
            };
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogTaskFailed(kind, task.RunId, task.Round, error.Message);
            activity?.SetStatus(ActivityStatusCode.Error, error.Message);
            result = Result(session, task);
            result.Error = $"{kind} task failed on node {session.NodeId}: {error.Message}";
        }
        finally
        {
            TryDelete(workDirectory);
        }

        await pusher.PushAsync(result, Deadline(task), cancellationToken);
        SuperNodeTelemetry.TasksCompleted.Add(1, new("kind", kind), new("outcome", result.Error.Length == 0 ? "ok" : "error"));
        status.TaskDone(result.Error.Length == 0 ? null : result.Error);
        if (result.Error.Length == 0) LogTaskDone(kind, task.RunId, task.Round, result.UpdateHash);
    }

    private async Task<PushResultRequest> InitAsync(NodeSession session, FederatedTask task, string workDirectory, CancellationToken cancellationToken)
    {
        var settings = RunSettings.From(task.Config);
        var path = Path.Combine(workDirectory, "initial.safetensors");
        using (var policy = policies.CreateInitial(settings, session.TrainSplit.Features, Device))
        using (var correction = settings.Scaffold ? new ScaffoldCorrection(policy.TrainableTensors) : null)
            // With SCAFFOLD the federation's control variate starts at zero and travels in the model from here on.
            policy.ExportTrainable(path, settings.WireDType, correction?.FederationControl);

        var upload = await retry.RunAsync($"uploading the initial model of run {task.RunId}", Deadline(task),
            () => BlobTransfer.UploadFileAsync(fleet, path, new BlobCaller(session.NodeId, task.RunId), cancellationToken), cancellationToken);
        SuperNodeTelemetry.BytesSent.Add(upload.SizeBytes, SuperNodeTelemetry.RunAndNode(task.RunId, session.NodeId));
        var result = Result(session, task);
        result.UpdateHash = upload.Sha256;
        result.UpdateSizeBytes = upload.SizeBytes;
        return result;
    }

    private async Task<PushResultRequest> TrainAsync(NodeSession session, FederatedTask task, string workDirectory, CancellationToken cancellationToken)
    {
        if (!ContentHash.IsWellFormed(task.GlobalModelHash))
            throw new InvalidDataException($"train task {task.TaskId} names no valid global model hash ('{task.GlobalModelHash}').");
        var settings = RunSettings.From(task.Config);
        var globalPath = Path.Combine(workDirectory, "global.safetensors");
        var caller = new BlobCaller(session.NodeId, task.RunId);
        var tags = SuperNodeTelemetry.RunAndNode(task.RunId, session.NodeId);
        var downloaded = await retry.RunAsync($"downloading the global model of run {task.RunId} round {task.Round}", Deadline(task),
            () => BlobTransfer.DownloadToFileAsync(fleet, task.GlobalModelHash, globalPath, caller, cancellationToken), cancellationToken);
        SuperNodeTelemetry.BytesReceived.Add(downloaded, tags);

        var (policy, correction) = policies.For(task.RunId, settings, session.TrainSplit.Features, Device);
        var seed = TaskSeeds.For(settings.Seed, task.Round, session.DatasetId);
        var training = await Task.Run(() => TorchNativeRetry.Run(
            () =>
            {
                policy.ImportTrainable(globalPath, correction?.FederationControl);
                correction?.BeginRound();
                var options = settings.TrainingOptions(seed) with { Progress = new StepProgress(status, task.Round), DriftCorrection = correction };
                var result = policy.Train(session.TrainSplit.NormalizedFor(settings).ShuffledBatches(settings.BatchSize, seed), options, cancellationToken);
                correction?.EndRound();
                return result;
            },
            error => LogTrainRetry(task.RunId, task.Round, error.Message)), cancellationToken);
        SuperNodeTelemetry.TrainSeconds.Record(training.Elapsed.TotalSeconds, tags);
        if (double.IsFinite(training.MeanLoss)) SuperNodeTelemetry.TrainLoss.Record(training.MeanLoss, tags);
        LogTrained(task.RunId, task.Round, training.Steps, training.MeanLoss, training.UpdateNorm, training.Elapsed.TotalSeconds);

        var updatePath = Path.Combine(workDirectory, "update.safetensors");
        policy.ExportTrainable(updatePath, settings.WireDType, correction?.NodeControl);
        var updateHash = await ContentHash.OfFileAsync(updatePath, cancellationToken);
        var updateBytes = new FileInfo(updatePath).Length;
        var upload = await retry.RunAsync($"uploading the update of run {task.RunId} round {task.Round}", Deadline(task), async () =>
        {
            await using var file = new ProgressReadStream(File.OpenRead(updatePath),
                sent => status.Progressed(p => (p ?? new TaskProgress(task.Round)) with { UploadedBytes = sent, UploadBytes = updateBytes }));
            return await BlobTransfer.UploadAsync(fleet, file, updateHash, file.Length, caller, cancellationToken);
        }, cancellationToken);
        SuperNodeTelemetry.BytesSent.Add(upload.SizeBytes, tags);

        var result = Result(session, task);
        result.UpdateHash = upload.Sha256;
        result.UpdateSizeBytes = upload.SizeBytes;
        // The weight is bounded by the examples the node registered with (the SuperLink rejects more); several passes over a small split do not count twice.
        result.NumExamples = Math.Min(training.Examples, session.TrainSplit.Count);
        result.Metrics.Add(new Dictionary<string, double>
        {
            ["loss"] = training.MeanLoss,
            ["final-loss"] = training.FinalLoss,
            ["proximal-term"] = training.MeanProximalTerm,
            ["steps"] = training.Steps,
            ["examples"] = training.Examples,
            ["update-norm"] = training.UpdateNorm,
            ["train-seconds"] = training.Elapsed.TotalSeconds,
        });
        return result;
    }

    /// <summary>When the SuperLink stops waiting for this task: the SuperLink being unreachable is worth waiting out until then.</summary>
    private static DateTimeOffset Deadline(FederatedTask task) => DateTimeOffset.FromUnixTimeMilliseconds(task.DeadlineUnixMs);

    private Device Device => _options.Device.Equals("cuda", StringComparison.OrdinalIgnoreCase) ? CUDA : CPU;

    private static PushResultRequest Result(NodeSession session, FederatedTask task) => new()
    {
        NodeId = session.NodeId,
        TaskId = task.TaskId,
        RunId = task.RunId,
        Round = task.Round,
        BaseModelHash = task.GlobalModelHash,
    };

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [LoggerMessage(LogLevel.Information, "Task {Kind} for run {RunId} round {Round} started ({TaskId})")]
    private partial void LogTaskStarted(string kind, string runId, int round, string taskId);

    [LoggerMessage(LogLevel.Information, "Run {RunId} round {Round}: trained {Steps} steps, loss {Loss:F4}, update norm {UpdateNorm:F4}, {Seconds:F1} s")]
    private partial void LogTrained(string runId, int round, int steps, double loss, double updateNorm, double seconds);

    [LoggerMessage(LogLevel.Information, "Task {Kind} for run {RunId} round {Round} done, uploaded {UpdateHash}")]
    private partial void LogTaskDone(string kind, string runId, int round, string updateHash);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} round {Round}: libtorch failed during training ({Reason}); training again from the global model")]
    private partial void LogTrainRetry(string runId, int round, string reason);

    [LoggerMessage(LogLevel.Error, "Task {Kind} for run {RunId} round {Round} failed: {Reason}")]
    private partial void LogTaskFailed(string kind, string runId, int round, string reason);
}
