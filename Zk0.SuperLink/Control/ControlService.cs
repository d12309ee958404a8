using Grpc.Core;
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
public sealed class ControlService(ILinkState state, FileBlobStore blobs, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<ControlService> logger)
    : Federation.Protocol.Control.ControlBase
{
    public override async Task<SubmitRunReply> SubmitRun(SubmitRunRequest request, ServerCallContext context)
    {
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

    public override async Task<ListRunsReply> ListRuns(ListRunsRequest request, ServerCallContext context)
    {
        var reply = new ListRunsReply();
        reply.Runs.Add((await state.ListRunsAsync(context.CancellationToken)).Select(ProtoMapping.ToSummary));
        return reply;
    }

    public override async Task<RunDetail> GetRun(GetRunRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
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
        var reply = new ListNodesReply();
        reply.Nodes.Add((await state.ListNodesAsync(request.IncludeExpired, context.CancellationToken)).Select(n => ProtoMapping.ToNode(n, now)));
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
                foreach (var stored in await state.ReadEventsAsync(request.RunId, sequence, ct))
                {
                    await responseStream.WriteAsync(ProtoMapping.ToEvent(stored), ct);
                    sequence = stored.Sequence;
                    if (stored.Terminal) return;
                }
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
        var run = await state.GetRunAsync(request.RunId, ct) ?? throw Errors.UnknownRun(request.RunId);
        var reason = request.Reason.Length > 0 ? request.Reason : "Stopped by an operator.";
        if (await state.SetRunStateAsync(run.RunId, RunState.Stopped, reason, ct))
            await state.AppendEventAsync(RunEvents.Create(run.RunId, RunEvents.RunStopped, run.CompletedRounds, message: reason, terminal: true), ct);
        var now = await state.GetRunAsync(run.RunId, ct);
        return new StopRunReply { Status = ProtoMapping.ToStatus(now!.State) };
    }

    public override async Task<RecordEvaluationReply> RecordEvaluation(RecordEvaluationRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var run = await state.GetRunAsync(request.RunId, ct) ?? throw Errors.UnknownRun(request.RunId);
        var round = await state.GetRoundAsync(run.RunId, request.Round, ct)
            ?? throw Errors.NotFound($"Round {request.Round} of run '{run.RunId}' has not started; evaluate only committed rounds.");
        if (round.ModelHash.Length == 0)
            throw Errors.FailedPrecondition($"Round {request.Round} of run '{run.RunId}' has not committed its model yet.");
        if (!ContentHash.IsWellFormed(request.ModelHash) || request.ModelHash != round.ModelHash)
            throw Errors.InvalidArgument($"Round {request.Round} of run '{run.RunId}' committed model {round.ModelHash}, but the evaluation is of '{request.ModelHash}'.");
        if (!double.IsFinite(request.Loss))
            throw Errors.InvalidArgument($"Evaluation loss {request.Loss} of run '{run.RunId}' round {request.Round} is not a finite number.");
        var evaluation = new EvaluationResult(request.Loss, new Dictionary<string, double>(request.Metrics),
            request.Datasets.ToDictionary(kv => kv.Key, kv => new DatasetScore(kv.Value.Loss, new Dictionary<string, double>(kv.Value.Metrics), kv.Value.NumExamples)),
            request.ModelHash, clock.GetUtcNow().ToUnixTimeMilliseconds());
        var alreadyEvaluated = new RpcException(new Status(StatusCode.AlreadyExists, $"Round {request.Round} of run '{run.RunId}' already has an evaluation; the first one counts."));
        if (await state.GetEvaluationAsync(run.RunId, request.Round, ct) is not null) throw alreadyEvaluated;
        // The event goes first: once the evaluation is stored the driver may end the run, and the run's last event must stay last.
        var metrics = new Dictionary<string, double>(request.Metrics) { ["loss"] = request.Loss };
        await state.AppendEventAsync(RunEvents.Create(run.RunId, RunEvents.EvaluationRecorded, request.Round, request.NodeId, request.ModelHash, metrics: metrics), ct);
        if (!await state.RecordEvaluationAsync(run.RunId, request.Round, evaluation, ct)) throw alreadyEvaluated;
        SuperLinkTelemetry.EvalLoss.Record(request.Loss, SuperLinkTelemetry.Run(run.RunId));
        return new RecordEvaluationReply { Accepted = true };
    }
}
