using Grpc.Core;
using Microsoft.Extensions.Options;
using Zk0.Federation.Normalization;
using Zk0.Federation.Protocol;
using Zk0.Policy.Abstractions;
using Zk0.SuperNode.Identity;
using Zk0.SuperNode.Tasks;
using FleetClient = Zk0.Federation.Protocol.Fleet.FleetClient;

namespace Zk0.SuperNode.Worker;

/// <summary>
/// The node's main loop: open the TRAIN split of the configured dataset, register with an anonymous
/// dataset id, keep the lease alive with heartbeats, and pull (long-poll) and run tasks until the host stops.
/// Federation calls that fail are retried with backoff; a node the SuperLink no longer knows re-registers.
/// </summary>
public sealed partial class SuperNodeWorker(
    FleetClient fleet,
    IPolicyDatasetSource datasets,
    TaskRunner tasks,
    NodeStatus status,
    IOptions<SuperNodeOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<SuperNodeWorker> logger) : BackgroundService
{
    private readonly SuperNodeOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IPolicyDataset trainSplit;
        string datasetId;
        try
        {
            // Opening may generate a synthetic dataset first; do it off the host's start-up path.
            trainSplit = await Task.Run(() => datasets.Open(_options.DatasetUri, DatasetSplit.Train), stoppingToken);
            datasetId = AnonymousDatasetId.Compute(_options.DatasetUri, AnonymousDatasetId.LoadOrCreateSalt(_options.DatasetSalt, _options.SaltFile));
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogDatasetUnusable(_options.DatasetUri, error.Message.TrimEnd('.'));
            status.Failed($"dataset '{_options.DatasetUri}' cannot be used: {error.Message}");
            // Stopping while the host still starts would cancel Kestrel's binding and end in an unhandled exception.
            lifetime.ApplicationStarted.Register(lifetime.StopApplication);
            return;
        }

        using (trainSplit)
        {
            LogDatasetOpened(datasetId, trainSplit.Count);
            while (!stoppingToken.IsCancellationRequested)
            {
                NodeSession session;
                try
                {
                    session = await RegisterAsync(datasetId, trainSplit, stoppingToken);
                }
                catch (RpcException refused) when (IsRefusal(refused))
                {
                    LogRefused(refused.Status.Detail);
                    status.Failed($"the federation refused this node: {refused.Status.Detail}");
                    lifetime.StopApplication();
                    return;
                }
                using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var heartbeats = HeartbeatAsync(session.NodeId, lost);
                await PullAndRunTasksAsync(session, lost);
                await lost.CancelAsync();
                await heartbeats;
                if (!stoppingToken.IsCancellationRequested) LogReRegistering(session.NodeId);
            }
        }
    }

    private async Task<NodeSession> RegisterAsync(string datasetId, IPolicyDataset trainSplit, CancellationToken cancellationToken)
    {
        var backoff = new RetryBackoff(_options.InitialRetryDelay, _options.MaxRetryDelay);
        var request = new RegisterNodeRequest
        {
            DatasetId = datasetId,
            Role = "trainer",
            NumExamples = trainSplit.Count,
            DisplayName = _options.DisplayName ?? "",
            Capabilities = { ["device"] = _options.Device, ["policy-types"] = string.Join(",", tasks.PolicyTypes) },
            // Aggregates of the state and action only, so the run can normalize every node alike.
            DatasetStats = { trainSplit.StateAndActionStatistics()?.Features.Select(f => f.ToMessage()) ?? [] },
        };
        while (true)
        {
            try
            {
                var reply = await fleet.RegisterNodeAsync(request, cancellationToken: cancellationToken);
                status.Registered(reply.NodeId, datasetId);
                _heartbeatInterval = TimeSpan.FromMilliseconds(Math.Max(200, reply.HeartbeatIntervalMs));
                LogRegistered(reply.NodeId, datasetId, trainSplit.Count);
                return new NodeSession(reply.NodeId, datasetId, trainSplit);
            }
            catch (RpcException error) when (!cancellationToken.IsCancellationRequested && !IsRefusal(error))
            {
                var delay = backoff.NextDelay();
                LogRetrying("register", error.StatusCode, error.Status.Detail, delay.TotalSeconds);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    private TimeSpan _heartbeatInterval = TimeSpan.FromSeconds(5);

    private async Task HeartbeatAsync(string nodeId, CancellationTokenSource session)
    {
        while (!session.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_heartbeatInterval, session.Token);
                await fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = nodeId }, cancellationToken: session.Token);
            }
            catch (OperationCanceledException) when (session.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.NotFound)
            {
                LogUnknownNode(nodeId, error.Status.Detail);
                await session.CancelAsync();
                return;
            }
            catch (RpcException error) when (!session.IsCancellationRequested)
            {
                LogRetrying("heartbeat", error.StatusCode, error.Status.Detail, _heartbeatInterval.TotalSeconds);
            }
        }
    }

    private async Task PullAndRunTasksAsync(NodeSession session, CancellationTokenSource lost)
    {
        var backoff = new RetryBackoff(_options.InitialRetryDelay, _options.MaxRetryDelay);
        while (!lost.IsCancellationRequested)
        {
            try
            {
                var pull = PullTaskRequest.LongPoll(session.NodeId, _options.PullWait);
                var reply = await fleet.PullTaskAsync(pull, deadline: pull.AnswerDeadline(), cancellationToken: lost.Token);
                backoff.Reset();
                if (reply.Task is null)
                {
                    await Task.Delay(reply.DelayBeforeNextPull, lost.Token);
                    continue;
                }
                await tasks.RunAsync(session, reply.Task, lost.Token);
            }
            catch (OperationCanceledException) when (lost.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.NotFound || IsRefusal(error))
            {
                // Unknown, or no longer allowed (its key was unregistered): registering again settles which.
                LogUnknownNode(session.NodeId, error.Status.Detail);
                return;
            }
            catch (RpcException error)
            {
                var delay = backoff.NextDelay();
                LogRetrying("pull task", error.StatusCode, error.Status.Detail, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, lost.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>The gateway or SuperLink will not let this node in (unregistered or wrong key, bad signature): retrying cannot help.</summary>
    private static bool IsRefusal(RpcException error) => error.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied;

    [LoggerMessage(LogLevel.Critical, "The federation refused this node: {Detail}")]
    private partial void LogRefused(string detail);

    [LoggerMessage(LogLevel.Critical, "Dataset '{DatasetUri}' cannot be used: {Reason}. Fix SuperNode:DatasetUri and restart the node.")]
    private partial void LogDatasetUnusable(string datasetUri, string reason);

    [LoggerMessage(LogLevel.Information, "Opened the training split of dataset {DatasetId}: {Examples} examples")]
    private partial void LogDatasetOpened(string datasetId, long examples);

    [LoggerMessage(LogLevel.Information, "Registered as node {NodeId} with dataset {DatasetId} ({Examples} examples)")]
    private partial void LogRegistered(string nodeId, string datasetId, long examples);

    [LoggerMessage(LogLevel.Warning, "Federation call '{Call}' failed ({StatusCode}: {Detail}); retrying in {DelaySeconds:F1} s")]
    private partial void LogRetrying(string call, StatusCode statusCode, string detail, double delaySeconds);

    [LoggerMessage(LogLevel.Warning, "The SuperLink no longer knows node {NodeId} ({Detail})")]
    private partial void LogUnknownNode(string nodeId, string detail);

    [LoggerMessage(LogLevel.Information, "Node {NodeId} registers again")]
    private partial void LogReRegistering(string nodeId);
}
