using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Zk0.Federation.Blobs;
using Zk0.Federation.Normalization;
using Zk0.Federation.Protocol;
using Zk0.SuperLink.Blobs;
using Zk0.SuperLink.Hosting;
using Zk0.SuperLink.Rounds;
using Zk0.SuperLink.State;
using Zk0.SuperLink.Telemetry;

namespace Zk0.SuperLink.Fleet;

/// <summary>The Fleet API nodes call. Checks every request and answers mistakes with a status and a message naming the thing.</summary>
public sealed class FleetService(
    ILinkState state, TaskWaiters waiters, FileBlobStore blobs, IOptions<SuperLinkOptions> options, TimeProvider clock,
    CallerIdentity identity, IHostApplicationLifetime lifetime, ILogger<FleetService> logger)
    : Federation.Protocol.Fleet.FleetBase
{
    private readonly SuperLinkOptions _options = options.Value;

    public override async Task<RegisterNodeReply> RegisterNode(RegisterNodeRequest request, ServerCallContext context)
    {
        var limits = _options.Limits;
        var role = request.Role.Length == 0 ? NodeRoles.Trainer : request.Role;
        if (role is not (NodeRoles.Trainer or NodeRoles.Evaluator))
            throw Errors.InvalidArgument($"Role '{InputChecks.Quote(request.Role)}' is unknown: use \"{NodeRoles.Trainer}\" or \"{NodeRoles.Evaluator}\".");
        if (string.IsNullOrWhiteSpace(request.DatasetId))
            throw Errors.InvalidArgument("dataset_id is empty: send the anonymous id of the node's dataset (never its path or name).");
        InputChecks.Length("dataset_id", request.DatasetId, limits.MaxDatasetIdLength, nameof(InputLimits.MaxDatasetIdLength));
        InputChecks.Length("display_name", request.DisplayName, limits.MaxDisplayNameLength, nameof(InputLimits.MaxDisplayNameLength));
        InputChecks.Entries("capabilities", request.Capabilities, limits.MaxCapabilities, nameof(InputLimits.MaxCapabilities));
        InputChecks.Keys("capabilities", request.Capabilities, limits.MaxCapabilityKeyLength, nameof(InputLimits.MaxCapabilityKeyLength));
        InputChecks.Values("capabilities", request.Capabilities, limits.MaxCapabilityValueLength, nameof(InputLimits.MaxCapabilityValueLength));
        InputChecks.TotalLength("capabilities", request.Capabilities, limits.MaxCapabilitiesLength, nameof(InputLimits.MaxCapabilitiesLength));
        if (request.NumExamples < 0)
            throw Errors.InvalidArgument($"num_examples is {request.NumExamples}: it must be zero or more.");
        var datasetStats = DatasetStatsOf(request, limits);
        var keyId = identity.KeyForRegistration(role, context);
        var node = await state.RegisterNodeAsync(new NodeRegistration(request.DatasetId, role, request.NumExamples,
            new Dictionary<string, string>(request.Capabilities), request.DisplayName, keyId, datasetStats), _options.NodeLease, limits.MaxNodes, context.CancellationToken)
            ?? throw Errors.ResourceExhausted($"This SuperLink already keeps {limits.MaxNodes} node records (SuperLink:Limits:MaxNodes), so the registration " +
                $"was refused. Retry later: nodes silent for SuperLink:ForgetNodesAfter ({_options.ForgetNodesAfter}) after their lease are forgotten; or raise the limit.");
        logger.LogInformation("Node {NodeId} registered as {Role} with dataset {DatasetId}", node.NodeId, role, request.DatasetId);
        return new RegisterNodeReply
        {
            NodeId = node.NodeId,
            HeartbeatIntervalMs = (long)_options.HeartbeatInterval.TotalMilliseconds,
            LeaseDurationMs = (long)_options.NodeLease.TotalMilliseconds,
        };
    }

    private static NormalizationStatistics? DatasetStatsOf(RegisterNodeRequest request, InputLimits limits)
    {
        if (request.DatasetStats.Count == 0) return null;
        var values = request.DatasetStats.Sum(f => (long)f.Min.Count + f.Max.Count + f.Mean.Count + f.Std.Count);
        if (values > limits.MaxDatasetStatsValues)
            throw Errors.InvalidArgument($"dataset_stats holds {values} numbers, more than the {limits.MaxDatasetStatsValues} allowed " +
                $"(SuperLink:Limits:{nameof(InputLimits.MaxDatasetStatsValues)}): send the statistics of the state and action only.");
        foreach (var feature in request.DatasetStats)
            InputChecks.Length("dataset_stats feature", feature.Feature, limits.MaxMetricKeyLength, nameof(InputLimits.MaxMetricKeyLength));
        var features = request.DatasetStats.Select(f => f.FromMessage()).ToList();
        if (features.Select(f => f.Problem()).FirstOrDefault(p => p is not null) is { } problem)
            throw Errors.InvalidArgument($"dataset_stats cannot be used: {InputChecks.Quote(problem)}. Send the statistics of the node's dataset as " +
                "its meta/stats.json has them (count, and min, max, mean and std per dimension), or none.");
        if (features.GroupBy(f => f.Feature).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw Errors.InvalidArgument($"dataset_stats names '{InputChecks.Quote(twice.Key)}' {twice.Count()} times; send each feature once.");
        return new NormalizationStatistics(features);
    }

    public override async Task<HeartbeatReply> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        InputChecks.Id("node_id", request.NodeId, _options.Limits);
        if (identity.ChecksNodes)
            identity.RequireSameNode(await state.GetNodeAsync(request.NodeId, context.CancellationToken) ?? throw Errors.UnknownNode(request.NodeId), context);
        var expires = await state.RenewNodeLeaseAsync(request.NodeId, _options.NodeLease, context.CancellationToken)
            ?? throw Errors.UnknownNode(request.NodeId);
        return new HeartbeatReply { LeaseExpiresUnixMs = expires };
    }

    /// <summary>
    /// Answers with the node's next task; with <c>wait_ms</c>, holds the call until one is queued, the wait ends, the node
    /// cancels or this SuperLink is stopping (then the node pulls again, from another replica if need be).
    /// </summary>
    public override async Task<PullTaskReply> PullTask(PullTaskRequest request, ServerCallContext context)
    {
        InputChecks.Id("node_id", request.NodeId, _options.Limits);
        if (request.WaitMs < 0)
            throw Errors.InvalidArgument($"wait_ms is {request.WaitMs}: send 0 to be answered at once, or how many milliseconds the SuperLink may hold the call.");
        var ct = context.CancellationToken;
        var node = await state.GetNodeAsync(request.NodeId, ct) ?? throw Errors.UnknownNode(request.NodeId);
        identity.RequireSameNode(node, context);
        await state.RenewNodeLeaseAsync(node.NodeId, _options.NodeLease, ct);
        var wait = _options.PullWait(TimeSpan.FromMilliseconds(request.WaitMs));
        TaskRecord? task;
        if (wait > TimeSpan.Zero)
        {
            // WaitForTaskAsync reads the queues itself (after registering), so a queued task is still answered at once.
            using var held = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
            task = await WaitForTaskAsync(node, wait, held.Token);
            // The wait used up part of the lease.
            await state.RenewNodeLeaseAsync(node.NodeId, _options.NodeLease, ct);
            if (task is null && !held.IsCancellationRequested) return new PullTaskReply { RetryAfterMs = 0 };
        }
        else
        {
            task = await state.PullTaskAsync(node.NodeId, node.Role, ct);
        }
        if (task is null) return new PullTaskReply { RetryAfterMs = (long)_options.PollInterval.TotalMilliseconds };
        var wire = new FederatedTask
        {
            TaskId = task.TaskId,
            RunId = task.RunId,
            Round = task.Round,
            Kind = task.Kind switch { TaskKinds.Init => TaskKind.Init, TaskKinds.Train => TaskKind.Train, _ => TaskKind.Evaluate },
            GlobalModelHash = task.GlobalModelHash,
            GlobalModelSizeBytes = task.GlobalModelSizeBytes,
            Traceparent = task.Traceparent,
            DeadlineUnixMs = task.DeadlineUnixMs,
        };
        foreach (var (key, value) in task.Config) wire.Config[key] = value;
        return new PullTaskReply { Task = wire };
    }

    /// <summary>Waits up to <paramref name="wait"/> for a task for the node; null when none came or the SuperLink is stopping.</summary>
    private async Task<TaskRecord?> WaitForTaskAsync(NodeRecord node, TimeSpan wait, CancellationToken held)
    {
        var deadline = clock.GetUtcNow() + wait;
        try
        {
            while (true)
            {
                // Registered before the queues are read again, so a task queued in between still wakes this call.
                using var waiter = waiters.Register(node.NodeId, node.Role);
                if (await state.PullTaskAsync(node.NodeId, node.Role, held) is { } task) return task;
                // Woken for a role's task, the call may find that another node of the role took it: it waits on.
                var left = deadline - clock.GetUtcNow();
                if (left <= TimeSpan.Zero || !await waiter.WaitAsync(left, clock, held)) return null;
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return null;
        }
    }

    public override async Task<PushResultReply> PushResult(PushResultRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        CheckLimits(request);
        var node = await state.GetNodeAsync(request.NodeId, ct) ?? throw Errors.UnknownNode(request.NodeId);
        identity.RequireSameNode(node, context);
        var task = await state.GetTaskAsync(request.TaskId, ct)
            ?? throw Errors.NotFound($"Task '{request.TaskId}' does not exist: push results only for tasks received from PullTask.");
        if (task.NodeId.Length > 0 && task.NodeId != node.NodeId)
            throw Errors.PermissionDenied($"Task '{task.TaskId}' was given to node '{task.NodeId}', not to node '{node.NodeId}'.");
        if (request.RunId.Length > 0 && request.RunId != task.RunId)
            throw Errors.InvalidArgument($"Task '{task.TaskId}' belongs to run '{task.RunId}', but the result names run '{request.RunId}'.");
        if (task.Kind == TaskKinds.Evaluate)
            throw Errors.FailedPrecondition($"Task '{task.TaskId}' is an evaluate task: report its result with Control.RecordEvaluation.");
        var run = await state.GetRunAsync(task.RunId, ct) ?? throw Errors.UnknownRun(task.RunId);
        if (run.IsTerminal)
            throw Errors.FailedPrecondition($"Run '{run.RunId}' has ended ({run.State}); its results are no longer accepted.");
        if (clock.GetUtcNow().ToUnixTimeMilliseconds() > task.DeadlineUnixMs)
            throw new RpcException(new Status(StatusCode.DeadlineExceeded,
                $"Task '{task.TaskId}' (run '{task.RunId}' round {task.Round}) passed its deadline; the round went on without this result."));
        string? rejection = null;
        if (request.Error.Length == 0)
        {
            if (!ContentHash.IsWellFormed(request.UpdateHash))
                throw Errors.InvalidArgument($"update_hash '{request.UpdateHash}' is not a SHA-256 (64 lower-case hex characters).");
            if (!blobs.Exists(request.UpdateHash))
                throw Errors.NotFound($"Update blob {request.UpdateHash} was not uploaded: call UploadBlob with it first.");
            var size = blobs.SizeOf(request.UpdateHash);
            if (request.UpdateSizeBytes != 0 && request.UpdateSizeBytes != size)
                throw Errors.InvalidArgument($"Update blob {request.UpdateHash} is {size} bytes, but the result says {request.UpdateSizeBytes}.");
            if (task.Kind == TaskKinds.Train && request.BaseModelHash.Length > 0 && request.BaseModelHash != task.GlobalModelHash)
                throw Errors.InvalidArgument($"The update was trained from model {request.BaseModelHash}, but task '{task.TaskId}' gave model {task.GlobalModelHash}.");
            if (!await state.WasUploadedByAsync(task.RunId, node.NodeId, request.UpdateHash, ct))
                throw Errors.PermissionDenied($"Blob {request.UpdateHash} was not uploaded by node '{node.NodeId}' for run '{task.RunId}': " +
                    "upload the result's own blob with UploadBlob, naming node_id and run_id in its first chunk.");
            rejection = await ResultValidation.CheckAsync(task, node, run, request.UpdateHash, request.NumExamples, blobs, ct);
        }
        // A rejected result is recorded all the same, as the node's answer: the round goes on without waiting for it.
        var error = rejection is null ? InputChecks.Truncate(request.Error, _options.Limits.MaxErrorLength) : UpdateRejection.ErrorFor(rejection);
        var result = new TaskResult(task.TaskId, node.NodeId, node.DatasetId, task.Round, request.UpdateHash,
            request.Error.Length == 0 ? blobs.SizeOf(request.UpdateHash) : 0, request.NumExamples,
            new Dictionary<string, double>(request.Metrics), error, request.BaseModelHash, clock.GetUtcNow().ToUnixTimeMilliseconds());
        switch (await state.RecordResultAsync(task.RunId, result, ct))
        {
            case ResultAcceptance.AlreadyReported:
                throw new RpcException(new Status(StatusCode.AlreadyExists, $"Task '{task.TaskId}' already has a result; the first one counts."));
            case ResultAcceptance.UnknownTask:
                throw Errors.NotFound($"Task '{task.TaskId}' does not exist.");
        }
        await state.AppendEventAsync(RunEvents.Create(task.RunId, RunEvents.ResultReceived, task.Round, node.NodeId, request.UpdateHash,
            result.Error, new Dictionary<string, double>(request.Metrics)), ct);
        if (rejection is not null)
            throw Errors.InvalidArgument($"Result of task '{task.TaskId}' (run '{task.RunId}' round {task.Round}) rejected: {rejection}. " +
                "It counts as this node's answer; the round goes on without it.");
        return new PushResultReply { Accepted = true, Message = $"Result of task '{task.TaskId}' recorded." };
    }

    private void CheckLimits(PushResultRequest request)
    {
        var limits = _options.Limits;
        InputChecks.Id("node_id", request.NodeId, limits);
        InputChecks.Id("task_id", request.TaskId, limits);
        InputChecks.Id("run_id", request.RunId, limits);
        InputChecks.Metrics("metrics", request.Metrics, limits);
    }

    public override async Task<UploadBlobReply> UploadBlob(IAsyncStreamReader<BlobChunk> requestStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (!await requestStream.MoveNext(ct))
            throw Errors.InvalidArgument("The upload stream is empty: the first chunk must carry sha256 and total_size.");
        var first = requestStream.Current;
        if (!ContentHash.IsWellFormed(first.Sha256))
            throw Errors.InvalidArgument($"The first chunk's sha256 '{InputChecks.Quote(first.Sha256)}' is not a SHA-256 (64 lower-case hex characters).");
        if (first.TotalSize < 0 || first.TotalSize > _options.MaxBlobBytes)
            throw Errors.InvalidArgument($"Blob {first.Sha256}: total_size {first.TotalSize} is outside 0..{_options.MaxBlobBytes} bytes.");
        await CheckCallerAsync(first.NodeId, first.RunId, context, ct);
        var alreadyPresent = blobs.Exists(first.Sha256);
        await using var writer = blobs.BeginWrite();
        var chunk = first;
        while (true)
        {
            if (writer.BytesWritten + chunk.Data.Length > first.TotalSize)
                throw Errors.InvalidArgument($"Blob {first.Sha256} is longer than its announced total_size {first.TotalSize}; upload rejected.");
            await writer.AppendAsync(chunk.Data.Memory, ct);
            if (!await requestStream.MoveNext(ct)) break;
            chunk = requestStream.Current;
        }
        try
        {
            var (sha, size) = await writer.CommitAsync(first.Sha256, first.TotalSize, ct);
            // Recorded for a blob already present too: the node sent every byte of it, so it may name it in a result.
            if (first.NodeId.Length > 0 && first.RunId.Length > 0)
                await state.RecordUploadAsync(first.RunId, first.NodeId, sha, _options.UploadRecordRetention, ct);
            SuperLinkTelemetry.AddBlobBytes(SuperLinkTelemetry.BlobBytesReceived, size, first.NodeId, first.RunId);
            return new UploadBlobReply { Sha256 = sha, SizeBytes = size, AlreadyPresent = alreadyPresent };
        }
        catch (BlobIntegrityException e)
        {
            logger.LogWarning("Upload rejected: {Reason}", e.Message);
            throw new RpcException(new Status(StatusCode.DataLoss, e.Message));
        }
    }

    public override async Task DownloadBlob(DownloadBlobRequest request, IServerStreamWriter<BlobChunk> responseStream, ServerCallContext context)
    {
        if (!ContentHash.IsWellFormed(request.Sha256))
            throw Errors.InvalidArgument($"'{InputChecks.Quote(request.Sha256)}' is not a SHA-256 (64 lower-case hex characters).");
        if (!blobs.Exists(request.Sha256))
            throw Errors.NotFound($"Blob {request.Sha256} is not in the SuperLink's blob store.");
        await CheckCallerAsync(request.NodeId, request.RunId, context, context.CancellationToken);
        await using var file = blobs.OpenRead(request.Sha256);
        var buffer = new byte[BlobTransfer.ChunkSize];
        var first = true;
        long sent = 0;
        try
        {
            int read;
            while ((read = await file.ReadAsync(buffer, context.CancellationToken)) > 0 || first)
            {
                // The buffer is reused only after WriteAsync has serialized the chunk, so it can be sent without a copy.
                var chunk = new BlobChunk { Data = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, read)) };
                if (first)
                {
                    chunk.Sha256 = request.Sha256;
                    chunk.TotalSize = file.Length;
                    first = false;
                }
                await responseStream.WriteAsync(chunk, context.CancellationToken);
                sent += read;
            }
        }
        finally
        {
            // What went out counts, even when the node broke off the download.
            SuperLinkTelemetry.AddBlobBytes(SuperLinkTelemetry.BlobBytesSent, sent, request.NodeId, request.RunId);
        }
    }

    /// <summary>
    /// Blob calls may name the node and run (operators' tools name neither); only known ids become metric tags, and a
    /// named node must be the caller's own (<see cref="CallerIdentity.RequireSameNode"/>).
    /// </summary>
    private async Task CheckCallerAsync(string nodeId, string runId, ServerCallContext context, CancellationToken ct)
    {
        InputChecks.Id("node_id", nodeId, _options.Limits);
        InputChecks.Id("run_id", runId, _options.Limits);
        if (nodeId.Length > 0) identity.RequireSameNode(await state.GetNodeAsync(nodeId, ct) ?? throw Errors.UnknownNode(nodeId), context);
        if (runId.Length > 0 && await state.GetRunAsync(runId, ct) is null) throw Errors.UnknownRun(runId);
    }
}
