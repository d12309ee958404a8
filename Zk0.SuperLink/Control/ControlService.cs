using Grpc.Core;
using Microsoft.Extensions.Options;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Federation.Runs;
using Zk0.Federation.Strategies;
using Zk0.SuperLink.Blobs;
using Zk0.SuperLink.Hosting;
using Zk0.SuperLink.Rounds;
using Zk0.SuperLink.State;
using Zk0.SuperLink.Telemetry;

namespace Zk0.SuperLink.Control;

/// <summary>The Control API for operators and the Evaluator.</summary>
public sealed class ControlService(
    ILinkState state, FileBlobStore blobs, IOptions<SuperLinkOptions> options, TimeProvider clock, CallerIdentity identity, NodeKeyAdministration nodeKeys,
    IHostApplicationLifetime lifetime, ILogger<ControlService> logger)
    : Federation.Protocol.Control.ControlBase
{
    private readonly InputLimits _limits = options.Value.Limits;

    public override async Task<SubmitRunReply> SubmitRun(SubmitRunRequest request, ServerCallContext context)
    {
        CheckRunConfig(request);
        var values = new Dictionary<string, string>(request.Config, StringComparer.Ordinal);
        try
        {
            var config = RunConfiguration.Parse(values);
            Zk0.Federation.Schedules.TrainSchedule.Parse(config, StrategyCatalog.Create(config));
            if (config.InitialModelHash is { } hash && !blobs.Exists(hash))
                throw Errors.FailedPrecondition($"initial-model blob {hash} is not in the blob store: upload it with Fleet.UploadBlob first.");
        }
        catch (RunConfigurationException e)
        {
            throw Errors.InvalidArgument(e.Message);
        }
        var run = await state.CreateRunAsync(values, context.CancellationToken);
        await state.AppendEventAsync(RunEvents.Create(run.RunId, RunEvents.RunSubmitted), context.CancellationToken);
        logger.LogInformation("Run {RunId} submitted", run.RunId);
        return new SubmitRunReply { RunId = run.RunId };
    }

    /// <summary>Size and shape only; the values' meaning is RunConfiguration's business. Keys the SuperLink does not read travel to nodes.</summary>
    private void CheckRunConfig(SubmitRunRequest request)
    {
        InputChecks.Entries("config", request.Config, _limits.MaxRunConfigKeys, nameof(InputLimits.MaxRunConfigKeys));
        InputChecks.Keys("config", request.Config, _limits.MaxRunConfigKeyLength, nameof(InputLimits.MaxRunConfigKeyLength));
        InputChecks.Values("config", request.Config, _limits.MaxRunConfigValueLength, nameof(InputLimits.MaxRunConfigValueLength));
        InputChecks.TotalLength("config", request.Config, _limits.MaxRunConfigLength, nameof(InputLimits.MaxRunConfigLength));
        foreach (var key in request.Config.Keys)
            if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                throw Errors.InvalidArgument($"Run configuration key '{InputChecks.Quote(key)}' is malformed: use ASCII letters, digits, '-', '_' and '.' (e.g. num-server-rounds).");
    }

    public override async Task<ListRunsReply> ListRuns(ListRunsRequest request, ServerCallContext context)
    {
        var size = ListPages.Size(request.PageSize, ListPages.DefaultRuns, ListPages.MaxRuns);
        if (request.PageToken.Length > 0) InputChecks.Id("page_token", request.PageToken, _limits);
        // One more than the page tells whether another page follows.
        var runs = await state.ListRunsAfterAsync(request.PageToken.Length == 0 ? null : request.PageToken, size + 1, context.CancellationToken)
            ?? throw ListPages.UnknownToken("ListRuns", request.PageToken);
        var reply = new ListRunsReply();
        reply.Runs.Add(runs.Take(size).Select(ProtoMapping.ToSummary));
        if (runs.Count > size) reply.NextPageToken = runs[size - 1].RunId;
        return reply;
    }

    public override async Task<RunDetail> GetRun(GetRunRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        InputChecks.Id("run_id", request.RunId, _limits);
        var run = await state.GetRunAsync(request.RunId, ct) ?? throw Errors.UnknownRun(request.RunId);
        var detail = new RunDetail { Summary = ProtoMapping.ToSummary(run), InitialModelHash = run.InitialModelHash };
        for (var number = 1; await state.GetRoundAsync(run.RunId, number, ct) is { } round; number++)
            detail.Rounds.Add(ProtoMapping.ToRound(round, (await state.GetResultsAsync(run.RunId, number, 0, ct)).DistinctBy(r => r.NodeId).ToList(),
                await state.GetEvaluationAsync(run.RunId, number, ct)));
        return detail;
    }

    public override async Task<ListNodesReply> ListNodes(ListNodesRequest request, ServerCallContext context)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var size = ListPages.Size(request.PageSize, ListPages.DefaultNodes, ListPages.MaxNodes);
        if (request.PageToken.Length > 0 && !ListPages.IsNodeToken(request.PageToken)) throw ListPages.UnknownToken("ListNodes", request.PageToken);
        var nodes = await state.ListNodesAfterAsync(request.IncludeExpired, request.PageToken.Length == 0 ? null : request.PageToken, size + 1,
            context.CancellationToken);
        var reply = new ListNodesReply();
        reply.Nodes.Add(nodes.Take(size).Select(n => ProtoMapping.ToNode(n, now)));
        if (nodes.Count > size) reply.NextPageToken = nodes[size - 1].NodeId;
        return reply;
    }

    /// <summary>
    /// Follows a run's events until its terminal one. The stream also ends when this SuperLink is stopping (Kestrel would
    /// otherwise wait for it until the shutdown timeout); followers resume from their last sequence on another replica.
    /// </summary>
    public override async Task StreamRunEvents(StreamRunEventsRequest request, IServerStreamWriter<RunEvent> responseStream, ServerCallContext context)
    {
        using var following = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var ct = following.Token;
        InputChecks.Id("run_id", request.RunId, _limits);
        _ = await state.GetRunAsync(request.RunId, ct) ?? throw Errors.UnknownRun(request.RunId);
        using var changed = new SemaphoreSlim(0, 1);
        await using var subscription = await state.SubscribeAsync(request.RunId, () =>
        {
            try { changed.Release(); } catch (SemaphoreFullException) { } catch (ObjectDisposedException) { }
        }, ct);
        var sequence = Math.Max(0, request.AfterSequence);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var events = await state.ReadEventsAsync(request.RunId, sequence, ct);
                foreach (var stored in events)
                {
                    await responseStream.WriteAsync(ProtoMapping.ToEvent(stored), ct);
                    sequence = stored.Sequence;
                    if (stored.Terminal) return;
                }
                if (request.RecordedOnly && events.Count == 0) return;
                // Quiet for a while: check the run still exists (a Redis restarted without persistence forgets it).
                if (!await changed.WaitAsync(TimeSpan.FromSeconds(2), ct) && await state.GetRunAsync(request.RunId, ct) is null)
                    throw Errors.NotFound($"Run '{request.RunId}' is no longer in the SuperLink's state: Redis lost it (restarted without persistence?).");
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The follower left, or this SuperLink is stopping: either way the stream is over.
        }
    }

    public override async Task<StopRunReply> StopRun(StopRunRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        InputChecks.Id("run_id", request.RunId, _limits);
        var run = await state.GetRunAsync(request.RunId, ct) ?? throw Errors.UnknownRun(request.RunId);
        var reason = request.Reason.Length > 0 ? InputChecks.Truncate(request.Reason, _limits.MaxErrorLength) : "Stopped by an operator.";
        if (await state.SetRunStateAsync(run.RunId, RunState.Stopped, reason, ct))
            await state.AppendEventAsync(RunEvents.Create(run.RunId, RunEvents.RunStopped, run.CompletedRounds, message: reason, terminal: true), ct);
        var now = await state.GetRunAsync(run.RunId, ct);
        return new StopRunReply { Status = ProtoMapping.ToStatus(now!.State) };
    }

    /// <summary>
    /// Accepts the evaluation of an evaluate task this SuperLink issued and PullTask handed to the calling node; the first
    /// one recorded for a round counts (a re-issued task may be answered twice).
    /// </summary>
    public override async Task<RecordEvaluationReply> RecordEvaluation(RecordEvaluationRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        identity.RequireEvaluator(context);
        CheckLimits(request);
        var run = await state.GetRunAsync(request.RunId, ct) ?? throw Errors.UnknownRun(request.RunId);
        if (run.IsTerminal)
            throw Errors.FailedPrecondition($"Run '{run.RunId}' has ended ({run.State}); its evaluations are no longer accepted.");
        await CheckIssuedTaskAsync(request, run, ct);
        var round = await state.GetRoundAsync(run.RunId, request.Round, ct)
            ?? throw Errors.NotFound($"Round {request.Round} of run '{run.RunId}' has not started; evaluate only committed rounds.");
        if (round.ModelHash.Length == 0)
            throw Errors.FailedPrecondition($"Round {request.Round} of run '{run.RunId}' has not committed its model yet.");
        if (!ContentHash.IsWellFormed(request.ModelHash) || request.ModelHash != round.ModelHash)
            throw Errors.InvalidArgument($"Round {request.Round} of run '{run.RunId}' committed model {round.ModelHash}, but the evaluation is of '{InputChecks.Quote(request.ModelHash)}'.");
        if (!double.IsFinite(request.Loss))
            throw Errors.InvalidArgument($"Evaluation loss {request.Loss} of run '{run.RunId}' round {request.Round} is not a finite number.");
        var evaluation = new EvaluationResult(request.Loss, new Dictionary<string, double>(request.Metrics),
            request.Datasets.ToDictionary(kv => kv.Key, kv => new DatasetScore(kv.Value.Loss, new Dictionary<string, double>(kv.Value.Metrics), kv.Value.NumExamples)),
            request.ModelHash, clock.GetUtcNow().ToUnixTimeMilliseconds());
        var metrics = new Dictionary<string, double>(request.Metrics) { ["loss"] = request.Loss };
        var recorded = RunEvents.Create(run.RunId, RunEvents.EvaluationRecorded, request.Round, request.NodeId, request.ModelHash, metrics: metrics);
        if (!await state.RecordEvaluationAsync(run.RunId, request.Round, evaluation, recorded, ct))
            throw new RpcException(new Status(StatusCode.AlreadyExists, $"Round {request.Round} of run '{run.RunId}' already has an evaluation; the first one counts."));
        SuperLinkTelemetry.EvalLoss.Record(request.Loss, SuperLinkTelemetry.Run(run.RunId));
        return new RecordEvaluationReply { Accepted = true };
    }

    public override Task<RegisterNodeKeyReply> RegisterNodeKey(RegisterNodeKeyRequest request, ServerCallContext context) => nodeKeys.RegisterAsync(request);

    public override Task<ListNodeKeysReply> ListNodeKeys(ListNodeKeysRequest request, ServerCallContext context) => nodeKeys.ListAsync();

    public override Task<UnregisterNodeKeyReply> UnregisterNodeKey(UnregisterNodeKeyRequest request, ServerCallContext context) =>
        nodeKeys.UnregisterAsync(request, context.CancellationToken);

    private void CheckLimits(RecordEvaluationRequest request)
    {
        InputChecks.Id("run_id", request.RunId, _limits);
        InputChecks.Id("task_id", request.TaskId, _limits);
        InputChecks.Id("node_id", request.NodeId, _limits);
        InputChecks.Metrics("metrics", request.Metrics, _limits);
        InputChecks.Metrics("datasets", request.Datasets, _limits);
        foreach (var (name, dataset) in request.Datasets) InputChecks.Metrics($"datasets['{name}'].metrics", dataset.Metrics, _limits);
    }

    /// <summary>The evaluation must answer an evaluate task of its run and round, handed to the calling node, before the task's deadline.</summary>
    private async Task CheckIssuedTaskAsync(RecordEvaluationRequest request, RunRecord run, CancellationToken ct)
    {
        if (request.TaskId.Length == 0)
            throw Errors.InvalidArgument($"task_id is empty: an evaluation of run '{run.RunId}' answers an evaluate task; pull one with Fleet.PullTask and send its task_id and your node_id.");
        var task = await state.GetTaskAsync(request.TaskId, ct)
            ?? throw Errors.NotFound($"Task '{request.TaskId}' does not exist: evaluations are accepted only for evaluate tasks received from Fleet.PullTask.");
        if (task.RunId != run.RunId)
            throw Errors.InvalidArgument($"Task '{task.TaskId}' belongs to run '{task.RunId}', but the evaluation names run '{run.RunId}'.");
        if (task.Kind != TaskKinds.Evaluate)
            throw Errors.FailedPrecondition($"Task '{task.TaskId}' is a {task.Kind} task, not an evaluate task: report its result with Fleet.PushResult.");
        if (task.Round != request.Round)
            throw Errors.InvalidArgument($"Task '{task.TaskId}' evaluates round {task.Round} of run '{run.RunId}', but the evaluation names round {request.Round}.");
        if (task.TakenBy.Length == 0)
            throw Errors.FailedPrecondition($"Task '{task.TaskId}' has not been handed out yet: an evaluator pulls it with Fleet.PullTask before evaluating.");
        if (task.TakenBy != request.NodeId)
            throw Errors.PermissionDenied($"Task '{task.TaskId}' was handed to node '{task.TakenBy}', not to node '{request.NodeId}'.");
        if (clock.GetUtcNow().ToUnixTimeMilliseconds() > task.DeadlineUnixMs)
            throw new RpcException(new Status(StatusCode.DeadlineExceeded,
                $"Task '{task.TaskId}' (run '{run.RunId}' round {task.Round}) passed its deadline; the round went on without this evaluation."));
    }
}
