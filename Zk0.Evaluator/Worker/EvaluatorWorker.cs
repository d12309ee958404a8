using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Zk0.Federation.Protocol;

namespace Zk0.Evaluator.Worker;

/// <summary>
/// Joins the federation as the node with role <c>evaluator</c> and scores every global model the SuperLink
/// commits (it hands each one out as an evaluate task). Calls that fail are retried with backoff; an
/// Evaluator the SuperLink no longer knows registers again.
/// </summary>
public sealed partial class EvaluatorWorker(
    Federation.Protocol.Fleet.FleetClient fleet,
    EvaluationTaskRunner runner,
    IOptions<EvaluatorOptions> options,
    ILogger<EvaluatorWorker> logger) : BackgroundService
{
    private readonly EvaluatorOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var (nodeId, heartbeatInterval) = await RegisterAsync(stoppingToken);
            await PullAndEvaluateAsync(nodeId, heartbeatInterval, stoppingToken);
        }
    }

    private async Task<(string NodeId, TimeSpan HeartbeatInterval)> RegisterAsync(CancellationToken cancellationToken)
    {
        var delay = _options.InitialRetryDelay;
        var request = new RegisterNodeRequest { DatasetId = HeldOutId(_options.Datasets), Role = "evaluator", DisplayName = "evaluator" };
        while (true)
        {
            try
            {
                var reply = await fleet.RegisterNodeAsync(request, cancellationToken: cancellationToken);
                LogRegistered(reply.NodeId, _options.Datasets.Count);
                return (reply.NodeId, TimeSpan.FromMilliseconds(Math.Max(100, reply.HeartbeatIntervalMs)));
            }
            catch (RpcException error) when (!cancellationToken.IsCancellationRequested)
            {
                LogRetrying("register", error.StatusCode, error.Status.Detail, delay.TotalSeconds);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(_options.MaxRetryDelay.Ticks, delay.Ticks * 2));
            }
        }
    }

    /// <summary>
    /// Pulling keeps the lease alive while idle (PullTask renews it, and holds a long poll for at most half the lease);
    /// while a task is scored, heartbeats do.
    /// </summary>
    private async Task PullAndEvaluateAsync(string nodeId, TimeSpan heartbeatInterval, CancellationToken cancellationToken)
    {
        var delay = _options.InitialRetryDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var pull = PullTaskRequest.LongPoll(nodeId, _options.PullWait);
                var reply = await fleet.PullTaskAsync(pull, deadline: pull.AnswerDeadline(), cancellationToken: cancellationToken);
                delay = _options.InitialRetryDelay;
                if (reply.Task is null)
                {
                    await Task.Delay(reply.DelayBeforeNextPull, cancellationToken);
                    continue;
                }
                await using (LeaseKeeper.Start(fleet, nodeId, heartbeatInterval, cancellationToken))
                    await runner.RunAsync(nodeId, reply.Task, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.NotFound)
            {
                LogUnknownNode(nodeId, error.Status.Detail);
                return;
            }
            catch (RpcException error)
            {
                LogRetrying("pull task", error.StatusCode, error.Status.Detail, delay.TotalSeconds);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(_options.MaxRetryDelay.Ticks, delay.Ticks * 2));
            }
        }
    }

    /// <summary>The held-out sets belong to the federation, not to a node; the id only tells them apart.</summary>
    private static string HeldOutId(IEnumerable<string> datasets) =>
        "eval-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", datasets.Order())))).Substring(0, 24);

    [LoggerMessage(LogLevel.Information, "Registered as evaluator {NodeId} with {Datasets} held-out datasets")]
    private partial void LogRegistered(string nodeId, int datasets);

    [LoggerMessage(LogLevel.Warning, "Federation call '{Call}' failed ({StatusCode}: {Detail}); retrying in {DelaySeconds:F1} s")]
    private partial void LogRetrying(string call, StatusCode statusCode, string detail, double delaySeconds);

    [LoggerMessage(LogLevel.Warning, "The SuperLink no longer knows evaluator {NodeId} ({Detail}); registering again")]
    private partial void LogUnknownNode(string nodeId, string detail);
}
