using System.Diagnostics;
using Microsoft.Extensions.Options;
using Zk0.Federation.Runs;
using Zk0.Federation.Schedules;
using Zk0.Federation.Strategies;
using Zk0.Federation.Validation;
using Zk0.SuperLink.Blobs;
using Zk0.SuperLink.Hosting;
using Zk0.SuperLink.State;
using Zk0.SuperLink.Telemetry;

namespace Zk0.SuperLink.Rounds;

/// <summary>
/// Drives one run from its stored state to the end: initial model, then each round (assign train tasks, fold
/// results into the strategy's aggregate in the round's canonical node order, commit the global model, wait for
/// the server evaluation). Every step is recorded in <see cref="ILinkState"/> first, so a new driver resumes where this one stopped.
/// </summary>
public sealed class RunDriver(ILinkState state, RunNormalization normalization, FileBlobStore blobs, IOptions<SuperLinkOptions> options, TimeProvider clock, ILogger<RunDriver> logger)
{
    private const int MaxInitAttempts = 3;
    /// <summary>The round's train metric counting the results refused (invalid updates, node errors, unselected nodes).</summary>
    public const string RejectedUpdatesMetric = "rejected-updates";
    private readonly SuperLinkOptions _options = options.Value;
    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task DriveAsync(string runId, CancellationToken ct)
    {
        using var signal = new ChangeSignal();
        await using var subscription = await state.SubscribeAsync(runId, signal.Set, ct);
        var run = await state.GetRunAsync(runId, ct);
        if (run is null || run.IsTerminal) return;

        RunConfiguration config;
        IStrategy strategy;
        TrainSchedule schedule;
        try
        {
            config = RunConfiguration.Parse(run.Config);
            strategy = StrategyCatalog.Create(config);
            schedule = TrainSchedule.Parse(config, strategy);
        }
        catch (RunConfigurationException e)
        {
            await FailAsync(runId, e.Message, ct);
            return;
        }

        if (run.State == RunState.Pending && await state.SetRunStateAsync(runId, RunState.Running, "", ct))
            await state.AppendEventAsync(RunEvents.Create(runId, RunEvents.RunStarted, message: $"{strategy.Summary()}; {schedule.Summary()}"), ct);

        var context = new DriveContext(runId, config, strategy, schedule, signal, new NodeLeaseWatch(state, _options.NodeLease, clock),
            new ScheduleHistory(state, runId));
        var global = string.IsNullOrEmpty(run.InitialModelHash) ? await InitializeModelAsync(context, ct) : run.GlobalModelHash;
        if (global is null) return;

        for (var round = run.CompletedRounds + 1; round <= config.NumServerRounds; round++)
        {
            global = await RunRoundAsync(context, round, global, ct);
            if (global is null) return;
        }
        if (await state.SetRunStateAsync(runId, RunState.Completed, "", ct))
            await state.AppendEventAsync(RunEvents.Create(runId, RunEvents.RunCompleted, config.NumServerRounds, modelHash: global,
                message: $"Run completed after {config.NumServerRounds} rounds.", terminal: true), ct);
        logger.LogInformation("Run {RunId} completed; final model {ModelHash}", runId, global);
    }

    private sealed record DriveContext(string RunId, RunConfiguration Config, IStrategy Strategy, TrainSchedule Schedule, ChangeSignal Signal, NodeLeaseWatch Leases,
        ScheduleHistory History);

    /// <summary>Server-side optimizer state (momentum, Adam moments) lives next to the blobs, in the run's own folder.</summary>
    private string StrategyStateDirectory(string runId) => Path.Combine(blobs.Root, "runs", runId, "strategy-state");

    /// <summary>The round's learning rate and μ, recomputed from the stored evaluations of the rounds before it.</summary>
    private async Task<RoundHyperparameters> ScheduleRoundAsync(DriveContext run, int round, CancellationToken ct) =>
        run.Schedule.ForRound(round, await run.History.EvaluationLossesBeforeAsync(round, ct));

    /// <summary>Gets the initial model: the configured blob, or one built by a trainer node from the run's seed.</summary>
    private async Task<string?> InitializeModelAsync(DriveContext run, CancellationToken ct)
    {
        if (run.Config.InitialModelHash is { } configured)
        {
            if (!blobs.Exists(configured))
            {
                await FailAsync(run.RunId, $"initial-model blob {configured} is not in the blob store; upload it with Fleet.UploadBlob before submitting the run.", ct);
                return null;
            }
            if (await Task.Run(() => ModelValidator.Check(blobs.PathOf(configured)), ct) is { } problem)
            {
                await FailAsync(run.RunId, $"initial-model blob {configured} cannot start the run: {problem}.", ct);
                return null;
            }
            return await AdoptInitialModelAsync(run.RunId, configured, ct);
        }

        var taskId = await state.GetRunInitTaskAsync(run.RunId, ct);
        var attempts = 0;
        var waitingSince = Now;
        while (true)
        {
            if (!await IsActiveAsync(run.RunId, ct)) return null;
            if (taskId is not null)
            {
                var task = await state.GetTaskAsync(taskId, ct);
                var result = (await state.GetResultsAsync(run.RunId, 0, 0, ct)).FirstOrDefault(r => r.TaskId == taskId);
                if (result is not null && result.Error.Length == 0 && blobs.Exists(result.UpdateHash))
                    return await AdoptInitialModelAsync(run.RunId, result.UpdateHash, ct);
                var lost = result is null && task is not null && (await run.Leases.LostAsync([task.NodeId], ct)).Count > 0;
                if (result is not null || task is null || Now >= task.DeadlineUnixMs || lost)
                {
                    var why = result is not null ? $"failed: {(result.Error.Length > 0 ? result.Error : "its model blob is missing")}"
                        : lost ? "lost its node's lease (no heartbeat) before reporting" : "did not report before the deadline";
                    // The SuperLink refused the node's model on arrival (not a valid model): a rejection, not a missed deadline.
                    var kind = result is not null && UpdateRejection.IsRejection(result.Error) ? RunEvents.ResultRejected : RunEvents.NodeMissedDeadline;
                    await state.AppendEventAsync(RunEvents.Create(run.RunId, kind, 0, task?.NodeId ?? "", message: $"Init task {why}."), ct);
                    taskId = null;
                    if (++attempts >= MaxInitAttempts)
                    {
                        await FailAsync(run.RunId, $"No node could build the initial model after {attempts} attempts (last: {why}).", ct);
                        return null;
                    }
                }
            }
            if (taskId is null)
            {
                var trainers = await OnlineTrainersAsync(ct);
                if (trainers.Count > 0)
                {
                    // The model comes from the run's seed alone; picking the node canonically just keeps the event log stable.
                    var node = trainers.OrderBy(n => n.DatasetId, StringComparer.Ordinal).ThenBy(n => n.NodeId, StringComparer.Ordinal).ElementAt(attempts % trainers.Count);
                    var task = new TaskRecord(NewTaskId(run.RunId, 0), run.RunId, 0, TaskKinds.Init, node.NodeId, NodeRoles.Trainer,
                        run.Config.Values, "", 0, "", Now + (long)run.Config.RoundTimeout.TotalMilliseconds);
                    await state.CreateTasksAsync([task], ct);
                    await state.SetRunInitTaskAsync(run.RunId, task.TaskId, ct);
                    await state.AppendEventAsync(RunEvents.Create(run.RunId, RunEvents.TaskAssigned, 0, node.NodeId, message: "init"), ct);
                    taskId = task.TaskId;
                }
                else if (Now - waitingSince > run.Config.NodeWaitTimeout.TotalMilliseconds)
                {
                    await FailAsync(run.RunId, $"No trainer node came online within node-wait-timeout-seconds={run.Config.NodeWaitTimeout.TotalSeconds} to build the initial model.", ct);
                    return null;
                }
            }
            await run.Signal.WaitAsync(_options.PollInterval, ct);
        }
    }

    private async Task<string> AdoptInitialModelAsync(string runId, string hash, CancellationToken ct)
    {
        await state.SetInitialModelAsync(runId, hash, ct);
        await state.ResetDriverFailuresAsync(runId, ct);
        await state.AppendEventAsync(RunEvents.Create(runId, RunEvents.InitialModelReady, 0, modelHash: hash), ct);
        return hash;
    }

    /// <summary>Runs (or resumes) one round; returns its committed model, or null when the run ended meanwhile.</summary>
    private async Task<string?> RunRoundAsync(DriveContext run, int roundNumber, string global, CancellationToken ct)
    {
        var round = await state.GetRoundAsync(run.RunId, roundNumber, ct);
        Activity? activity = null;
        try
        {
            if (round is null)
            {
                var trainers = await WaitForTrainersAsync(run, roundNumber, ct);
                if (trainers is null) return null;
                Activity.Current = null; // a round is the root of its own trace
                activity = SuperLinkTelemetry.Source.StartActivity("superlink.round", ActivityKind.Internal);
                round = await StartRoundAsync(run, roundNumber, global, trainers, activity, ct);
                if (round is null) return null;
            }
            else
            {
                activity = Federation.Tracing.RoundTraceContext.StartActivity(SuperLinkTelemetry.Source, "superlink.round.resume", round.Traceparent);
            }
            activity?.SetTag("zk0.run_id", run.RunId);
            activity?.SetTag("zk0.round", roundNumber);

            if (round.Phase == RoundPhase.Training)
            {
                if (activity?.DisplayName == "superlink.round.resume") await ReissueTrainTasksAsync(run, round, ct);
                round = await TrainAsync(run, round, ct);
                if (round is null) return null;
            }
            if (round.Phase == RoundPhase.Evaluating)
            {
                round = await AwaitEvaluationAsync(run, round, ct);
                if (round is null) return null;
            }
            return await FinishRoundAsync(run, round, ct);
        }
        finally
        {
            activity?.Dispose();
        }
    }

    /// <summary>
    /// Waits for min-train-nodes trainers. Just after this driver (re)started it also waits, up to one node lease, for the
    /// previous round's nodes to renew their leases (they may have lapsed while no SuperLink was up), so a restart alone
    /// does not change who trains.
    /// </summary>
    private async Task<IReadOnlyList<NodeRecord>?> WaitForTrainersAsync(DriveContext run, int roundNumber, CancellationToken ct)
    {
        var since = Now;
        var previous = roundNumber > 1 ? (await state.GetRoundAsync(run.RunId, roundNumber - 1, ct))?.SelectedNodes ?? [] : [];
        while (true)
        {
            if (!await IsActiveAsync(run.RunId, ct)) return null;
            var trainers = await OnlineTrainersAsync(ct);
            if (trainers.Count >= run.Config.MinTrainNodes
                && (!run.Leases.InGrace || previous.All(node => trainers.Any(t => t.NodeId == node)))) return trainers;
            if (Now - since > run.Config.NodeWaitTimeout.TotalMilliseconds)
            {
                await FailAsync(run.RunId, $"Only {trainers.Count} trainer node(s) online, min-train-nodes={run.Config.MinTrainNodes}, " +
                    $"after waiting node-wait-timeout-seconds={run.Config.NodeWaitTimeout.TotalSeconds}. Start more SuperNodes or lower min-train-nodes.", ct);
                return null;
            }
            await run.Signal.WaitAsync(_options.PollInterval, ct);
        }
    }

    private async Task<RoundRecordState?> StartRoundAsync(DriveContext run, int roundNumber, string global, IReadOnlyList<NodeRecord> trainers, Activity? activity, CancellationToken ct)
    {
        var traceparent = activity?.Id ?? $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01";
        var available = trainers.Select(n => new AvailableNode(n.NodeId, n.DatasetId, n.NumExamples)).ToList();
        var hyperparameters = await ScheduleRoundAsync(run, roundNumber, ct);
        var datasetOf = available.ToDictionary(n => n.NodeId, StringComparer.Ordinal);
        var nodeLosses = run.Schedule.NodeBoost is null
            ? new Dictionary<string, IReadOnlyList<double>>()
            : await run.History.NodeLossesBeforeAsync(roundNumber, ct);
        // Canonical order: the order results are folded in, whichever node finishes first.
        var selected = run.Strategy.ConfigureTrain(roundNumber, run.Config, available);
        NormalizationChoice normalized;
        try
        {
            var chosen = selected.Select(a => a.NodeId).ToHashSet(StringComparer.Ordinal);
            normalized = await normalization.ChooseAsync(run.RunId, roundNumber, run.Config, trainers.Where(t => chosen.Contains(t.NodeId)).ToList(), ct);
        }
        catch (InvalidDataException e)
        {
            await FailAsync(run.RunId, $"The trainers' datasets cannot share one normalization: {e.Message}", ct);
            return null;
        }
        var assignments = selected
            .Select(a => a with { Config = RunNormalization.Into(
                run.Schedule.ApplyNodeBoost(run.Schedule.Apply(a.Config, hyperparameters), hyperparameters, nodeLosses.GetValueOrDefault(a.NodeId) ?? []), normalized.Json) })
            .OrderBy(a => datasetOf[a.NodeId].DatasetId, StringComparer.Ordinal).ThenBy(a => a.NodeId, StringComparer.Ordinal).ToList();
        var boosted = run.Schedule.NodeBoost is { } boost
            ? assignments.Where(a => boost.IsStalled(nodeLosses.GetValueOrDefault(a.NodeId) ?? [])).Select(a => a.NodeId).ToList()
            : [];
        var memory = run.Strategy.EstimateMemory(assignments.Count, FloatTensors.CountFloatParameters(blobs.PathOf(global)));
        var now = Now;
        var round = new RoundRecordState(run.RunId, roundNumber, RoundPhase.Training, global, traceparent, now,
            now + (long)run.Config.RoundTimeout.TotalMilliseconds, assignments.Select(a => a.NodeId).ToList(), "", 0,
            new Dictionary<string, double>(), [], 0, 0, assignments.ToDictionary(a => a.NodeId, a => a.Config, StringComparer.Ordinal));
        await state.SaveRoundAsync(round, ct);
        // The events go first, so the log shows each assignment before any result of it.
        await state.AppendEventsAsync([
            RunEvents.Create(run.RunId, RunEvents.RoundStarted, roundNumber, modelHash: global, message: $"{assignments.Count} of {trainers.Count} trainer nodes selected" +
                (normalized.Summary.Length > 0 ? $"; {normalized.Summary}" : "") +
                (boosted.Count > 0 ? $"; learning rate boosted for stalled node(s) {string.Join(", ", boosted)}" : "")),
            ..assignments.Select(a => RunEvents.Create(run.RunId, RunEvents.TaskAssigned, roundNumber, a.NodeId, message: "train")),
        ], ct);
        var size = blobs.SizeOf(global);
        await state.CreateTasksAsync(assignments.Select(a => new TaskRecord(NewTaskId(run.RunId, roundNumber), run.RunId, roundNumber, TaskKinds.Train,
            a.NodeId, NodeRoles.Trainer, a.Config, global, size, traceparent, round.DeadlineUnixMs)).ToList(), ct);
        logger.LogInformation("Run {RunId} round {Round} started with {Nodes} nodes (learning-rate {LearningRate}, proximal-mu {ProximalMu}: {Reason}); {Strategy} aggregation needs {Memory}",
            run.RunId, roundNumber, assignments.Count, hyperparameters.LearningRate, hyperparameters.ProximalMu, hyperparameters.Reason, run.Strategy.Name, memory);
        return round;
    }

    /// <summary>
    /// Folds results into the aggregate in the round's canonical order (results that arrive early wait as blob
    /// references), until every selected node reported or lost its lease (<see cref="NodeLeaseWatch"/>), or the deadline
    /// passed; then commits.
    /// </summary>
    private async Task<RoundRecordState?> TrainAsync(DriveContext run, RoundRecordState round, CancellationToken ct)
    {
        var hyperparameters = await ScheduleRoundAsync(run, round.Round, ct);
        using var aggregator = run.Strategy.BeginAggregateTrain(round.Round, run.Config, blobs.PathOf(round.BaseModelHash), StrategyStateDirectory(run.RunId),
            run.Schedule.LearningRateScale(hyperparameters));
        var order = new FoldOrder(round.SelectedNodes);
        var accepted = new List<TrainUpdate>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var processed = 0;
        IReadOnlyList<string> lost = [];
        while (true)
        {
            foreach (var result in await state.GetResultsAsync(run.RunId, round.Round, processed, ct))
            {
                processed++;
                if (!reported.Add(result.NodeId)) continue; // a re-issued task answered twice: the first result counts
                var due = await ReceiveAsync(run, round, order, result, ct);
                await FoldAsync(run, round, aggregator, due, accepted, ct);
            }
            if (order.IsComplete || Now >= round.DeadlineUnixMs) break;
            var unreported = round.SelectedNodes.Where(n => !reported.Contains(n)).ToList();
            lost = await run.Leases.LostAsync(unreported, ct);
            if (lost.Count == unreported.Count) break;
            if (!await IsActiveAsync(run.RunId, ct)) return null;
            await run.Signal.WaitAsync(TimeSpan.FromMilliseconds(Math.Min(_options.PollInterval.TotalMilliseconds, Math.Max(1, round.DeadlineUnixMs - Now))), ct);
        }
        await FoldAsync(run, round, aggregator, order.Close(), accepted, ct);

        var missing = round.SelectedNodes.Where(n => !accepted.Any(u => u.NodeId == n)).ToList();
        await state.AppendEventsAsync(round.SelectedNodes.Where(n => !reported.Contains(n))
            .Select(node => RunEvents.Create(run.RunId, RunEvents.NodeMissedDeadline, round.Round, node,
                message: lost.Contains(node)
                    ? "Node lost its lease (no heartbeat) before reporting; the round went on without it."
                    : "No result before the round deadline; the round went on without it.")).ToList(), ct);

        string modelHash;
        long modelSize;
        if (aggregator.UpdatesAggregated > 0)
        {
            using var commit = SuperLinkTelemetry.Source.StartActivity("superlink.commit-model");
            (modelHash, modelSize) = await blobs.WriteAsync(aggregator.WriteGlobalModel, ct);
            commit?.SetTag("zk0.model_hash", modelHash);
        }
        else
        {
            (modelHash, modelSize) = (round.BaseModelHash, blobs.SizeOf(round.BaseModelHash));
        }
        var committed = round with
        {
            Phase = run.Config.EvaluatesRound(round.Round) ? RoundPhase.Evaluating : RoundPhase.Completed,
            ModelHash = modelHash,
            ModelSizeBytes = modelSize,
            TrainMetrics = new Dictionary<string, double>(TrainSchedule.WithMetrics(run.Strategy.AggregateTrainMetrics(round.Round, accepted), hyperparameters))
            {
                // Every node that answered was either folded in or rejected (with a ResultRejected event).
                [RejectedUpdatesMetric] = reported.Count - accepted.Count,
            },
            MissingNodes = missing,
            EvalDeadlineUnixMs = Now + (long)run.Config.EvalTimeout.TotalMilliseconds,
        };
        await state.SaveRoundAsync(committed, ct);
        await state.AppendEventAsync(RunEvents.Create(run.RunId, RunEvents.ModelCommitted, round.Round, modelHash: modelHash,
            message: accepted.Count > 0 ? $"{run.Strategy.Name} over {accepted.Count} update(s)" : "No update arrived; the global model is unchanged.",
            metrics: committed.TrainMetrics), ct);
        return committed;
    }

    /// <summary>
    /// Resumed mid-round: a node may have taken its task and lost its report while no SuperLink was up, so every
    /// selected node that has not reported gets its task again, with the config it was given (its scheduled learning
    /// rate and μ included); only its first result counts.
    /// </summary>
    private async Task ReissueTrainTasksAsync(DriveContext run, RoundRecordState round, CancellationToken ct)
    {
        if (Now >= round.DeadlineUnixMs) return;
        var reported = (await state.GetResultsAsync(run.RunId, round.Round, 0, ct)).Select(r => r.NodeId).ToHashSet(StringComparer.Ordinal);
        var unrecorded = RunNormalization.Into(new Dictionary<string, string>(run.Config.Values, StringComparer.Ordinal)
            { ["server-round"] = round.Round.ToString(System.Globalization.CultureInfo.InvariantCulture) }, await state.GetRunNormalizationAsync(run.RunId, ct));
        var size = blobs.SizeOf(round.BaseModelHash);
        await state.CreateTasksAsync(round.SelectedNodes.Where(n => !reported.Contains(n))
            .Select(node => new TaskRecord(NewTaskId(run.RunId, round.Round), run.RunId, round.Round, TaskKinds.Train, node, NodeRoles.Trainer,
                round.TrainConfigs?.GetValueOrDefault(node) ?? unrecorded, round.BaseModelHash, size, round.Traceparent, round.DeadlineUnixMs)).ToList(), ct);
    }

    /// <summary>Queues the round's evaluate task for any evaluator; null when the round is evaluated already or its eval deadline passed.</summary>
    private async Task<TaskRecord?> IssueEvaluateTaskAsync(DriveContext run, RoundRecordState round, CancellationToken ct)
    {
        if (await state.GetEvaluationAsync(run.RunId, round.Round, ct) is not null || Now >= round.EvalDeadlineUnixMs) return null;
        var task = new TaskRecord(NewTaskId(run.RunId, round.Round), run.RunId, round.Round, TaskKinds.Evaluate, "",
            NodeRoles.Evaluator, RunNormalization.Into(run.Strategy.ConfigureEvaluate(round.Round, run.Config), await state.GetRunNormalizationAsync(run.RunId, ct)),
            round.ModelHash, round.ModelSizeBytes,
            round.Traceparent, round.EvalDeadlineUnixMs);
        await state.CreateTasksAsync([task], ct);
        return task;
    }

    /// <summary>Checks a result as it arrives; returns the updates it makes due for folding (none while an earlier node is outstanding).</summary>
    private async Task<IReadOnlyList<TrainUpdate>> ReceiveAsync(DriveContext run, RoundRecordState round, FoldOrder order, TaskResult result, CancellationToken ct)
    {
        string? rejection = null;
        if (result.Error.Length > 0) rejection = UpdateRejection.IsRejection(result.Error) ? result.Error : $"Node reported an error: {result.Error}";
        else if (!order.Expects(result.NodeId)) rejection = "Node was not selected for this round.";
        else if (!blobs.Exists(result.UpdateHash)) rejection = $"Update blob {result.UpdateHash} is not in the blob store.";
        if (rejection is null)
            return order.Offer(new TrainUpdate(result.NodeId, blobs.PathOf(result.UpdateHash), result.NumExamples, result.Metrics));
        await RejectAsync(run, round, result.NodeId, rejection, ct);
        return order.Expects(result.NodeId) ? order.Skip(result.NodeId) : [];
    }

    private async Task FoldAsync(DriveContext run, RoundRecordState round, IUpdateAggregator aggregator, IReadOnlyList<TrainUpdate> due, List<TrainUpdate> accepted, CancellationToken ct)
    {
        foreach (var update in due)
        {
            using var activity = SuperLinkTelemetry.Source.StartActivity("superlink.aggregate-update");
            activity?.SetTag("zk0.node_id", update.NodeId);
            try
            {
                aggregator.Add(update);
            }
            catch (UpdateRejectedException e)
            {
                activity?.SetStatus(ActivityStatusCode.Error, e.Message);
                await RejectAsync(run, round, update.NodeId, e.Message, ct);
                continue;
            }
            accepted.Add(update);
            SuperLinkTelemetry.ResultsAccepted.Add(1, SuperLinkTelemetry.Run(run.RunId), SuperLinkTelemetry.Node(update.NodeId));
            if (update.Metrics.TryGetValue("loss", out var loss) && double.IsFinite(loss))
                SuperLinkTelemetry.TrainLoss.Record(loss, SuperLinkTelemetry.Run(run.RunId), SuperLinkTelemetry.Node(update.NodeId));
        }
    }

    private async Task RejectAsync(DriveContext run, RoundRecordState round, string nodeId, string rejection, CancellationToken ct)
    {
        SuperLinkTelemetry.ResultsRejected.Add(1, SuperLinkTelemetry.Run(run.RunId), SuperLinkTelemetry.Node(nodeId));
        logger.LogWarning("Run {RunId} round {Round}: result of node {NodeId} rejected: {Reason}", run.RunId, round.Round, nodeId, rejection);
        await state.AppendEventAsync(RunEvents.Create(run.RunId, RunEvents.ResultRejected, round.Round, nodeId, message: rejection), ct);
    }

    /// <summary>
    /// Hands out the round's evaluate task and waits for its evaluation until eval-timeout-seconds. An evaluator that took
    /// the task and lost its lease (it died, or was forgotten) will never report, so the task is issued again for the
    /// next evaluator (a restarted one registers anew). A resumed round issues it again too: its evaluator's report may
    /// have been lost while no SuperLink was up. The first evaluation recorded counts.
    /// </summary>
    private async Task<RoundRecordState?> AwaitEvaluationAsync(DriveContext run, RoundRecordState round, CancellationToken ct)
    {
        var task = await IssueEvaluateTaskAsync(run, round, ct);
        while (await state.GetEvaluationAsync(run.RunId, round.Round, ct) is null)
        {
            if (Now >= round.EvalDeadlineUnixMs)
            {
                await state.AppendEventAsync(RunEvents.Create(run.RunId, RunEvents.EvaluationRecorded, round.Round, modelHash: round.ModelHash,
                    message: "No server evaluation arrived before eval-timeout-seconds; the round completes without one."), ct);
                break;
            }
            if (!await IsActiveAsync(run.RunId, ct)) return null;
            if (task is not null && await LostEvaluatorAsync(run, task.TaskId, ct) is { } lost)
            {
                logger.LogWarning("Run {RunId} round {Round}: evaluator {NodeId} lost its lease while evaluating; issuing the evaluate task again", run.RunId, round.Round, lost);
                await state.AppendEventAsync(RunEvents.Create(run.RunId, RunEvents.TaskAssigned, round.Round, modelHash: round.ModelHash,
                    message: $"evaluate again: evaluator {lost} took the task and lost its lease"), ct);
                task = await IssueEvaluateTaskAsync(run, round, ct);
            }
            await run.Signal.WaitAsync(_options.PollInterval, ct);
        }
        return round with { Phase = RoundPhase.Completed };
    }

    /// <summary>The node that took the evaluate task, when it has lost its lease or been forgotten since; null while it is alive or the task waits in the queue.</summary>
    private async Task<string?> LostEvaluatorAsync(DriveContext run, string taskId, CancellationToken ct)
    {
        if (await state.GetTaskAsync(taskId, ct) is not { TakenBy.Length: > 0 } taken) return null;
        return (await run.Leases.LostAsync([taken.TakenBy], ct)).Count > 0 ? taken.TakenBy : null;
    }

    /// <summary>Completes the round; returns the model the next round starts from (the round's own unless it was not adopted).</summary>
    private async Task<string> FinishRoundAsync(DriveContext run, RoundRecordState round, CancellationToken ct)
    {
        var verdict = run.Schedule.SpikeGuard is { } guard
            ? guard.Judge(await run.History.EvaluationLossByRoundAsync(round.Round, ct))[^1]
            : null;
        var adoptedModel = verdict is { Adopted: false } ? round.BaseModelHash : round.ModelHash;
        var finished = round with { Phase = RoundPhase.Completed, FinishedUnixMs = Now };
        if (verdict is not null)
            finished = finished with { TrainMetrics = new Dictionary<string, double>(round.TrainMetrics) { [LossSpikeGuard.AdoptedMetric] = verdict.Adopted ? 1 : 0 } };
        await state.SaveRoundAsync(finished, ct);
        await state.SetRunProgressAsync(run.RunId, round.Round, adoptedModel, ct);
        await state.ResetDriverFailuresAsync(run.RunId, ct);
        var metrics = new Dictionary<string, double>(round.TrainMetrics.Where(kv => kv.Key != LossSpikeGuard.AdoptedMetric)
            .Select(kv => KeyValuePair.Create($"train-{kv.Key}", kv.Value)));
        var eval = await state.GetEvaluationAsync(run.RunId, round.Round, ct);
        if (eval is not null) metrics["eval-loss"] = eval.Loss;
        if (verdict is not null) metrics[LossSpikeGuard.AdoptedMetric] = verdict.Adopted ? 1 : 0;
        var message = verdict is { Adopted: false }
            ? $"Not adopted: eval loss {eval?.Loss:R} is more than loss-spike-threshold={run.Schedule.SpikeGuard!.Threshold:R} above the last adopted round's {verdict.ReferenceLoss:R}; " +
              $"the next round starts from model {adoptedModel}."
            : "";
        if (message.Length > 0) logger.LogWarning("Run {RunId} round {Round}: {Message}", run.RunId, round.Round, message);
        await state.AppendEventAsync(RunEvents.Create(run.RunId, RunEvents.RoundCompleted, round.Round, modelHash: round.ModelHash, message: message, metrics: metrics), ct);
        SuperLinkTelemetry.RoundsCompleted.Add(1, SuperLinkTelemetry.Run(run.RunId));
        // From the stored start, so a round resumed by another replica still reports its whole wall time.
        SuperLinkTelemetry.RoundDuration.Record((finished.FinishedUnixMs - round.StartedUnixMs) / 1000.0, SuperLinkTelemetry.Run(run.RunId));
        logger.LogInformation("Run {RunId} round {Round} completed: model {ModelHash}", run.RunId, round.Round, round.ModelHash);
        return adoptedModel;
    }

    private async Task<IReadOnlyList<NodeRecord>> OnlineTrainersAsync(CancellationToken ct) =>
        (await state.ListNodesAsync(includeExpired: false, ct)).Where(n => n.Role == NodeRoles.Trainer).ToList();

    private async Task<bool> IsActiveAsync(string runId, CancellationToken ct)
    {
        var run = await state.GetRunAsync(runId, ct);
        if (run is null) ReportLost(runId);
        return run is { IsTerminal: false };
    }

    /// <summary>Tells the operator that a run this SuperLink knew vanished from Redis.</summary>
    public void ReportLost(string runId) =>
        logger.LogError("Run {RunId} was being driven by this SuperLink and is no longer in Redis: Redis lost its state (restarted " +
                        "without persistence?). The run is lost; keep Redis's append-only file on (the default) to survive a Redis restart.", runId);

    /// <summary>Ends the run as failed with <paramref name="message"/> (unless it already ended) and records why.</summary>
    public async Task FailAsync(string runId, string message, CancellationToken ct)
    {
        logger.LogError("Run {RunId} failed: {Message}", runId, message);
        if (await state.SetRunStateAsync(runId, RunState.Failed, message, ct))
            await state.AppendEventAsync(RunEvents.Create(runId, RunEvents.RunFailed, message: message, terminal: true), ct);
    }

    private static string NewTaskId(string runId, int round) => $"{runId}-r{round}-{Guid.NewGuid().ToString("N")[..8]}";
}
