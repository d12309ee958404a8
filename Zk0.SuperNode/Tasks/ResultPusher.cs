using Grpc.Core;
using Microsoft.Extensions.Options;
using Zk0.Federation.Protocol;
using Zk0.SuperNode.Worker;
using FleetClient = Zk0.Federation.Protocol.Fleet.FleetClient;

namespace Zk0.SuperNode.Tasks;

/// <summary>
/// Delivers a finished task's result. It is worth retrying while the SuperLink is unreachable (restarting, say): the
/// training behind it is expensive. It is retried until the task's deadline, after which the round has gone on without it.
/// </summary>
public sealed partial class ResultPusher(FleetClient fleet, IOptions<SuperNodeOptions> options, ILogger<ResultPusher> logger)
{
    private readonly SuperNodeOptions _options = options.Value;

    /// <summary>Returns true once the SuperLink answered (accepted or refused), false when the deadline passed first.</summary>
    public async Task<bool> PushAsync(PushResultRequest result, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var backoff = new RetryBackoff(_options.InitialRetryDelay, _options.MaxRetryDelay);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var reply = await fleet.PushResultAsync(result, cancellationToken: cancellationToken);
                if (!reply.Accepted) LogResultRejected(result.RunId, result.Round, reply.Message);
                return true;
            }
            catch (RpcException error) when (IsTransient(error.StatusCode) && !cancellationToken.IsCancellationRequested)
            {
                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    LogPushGaveUp(result.RunId, result.Round, attempt, error.StatusCode, deadline);
                    return false;
                }
                var delay = backoff.NextDelay();
                if (delay > left) delay = left;
                LogPushRetry(result.RunId, result.Round, error.StatusCode, delay.TotalSeconds);
                await Task.Delay(delay, cancellationToken);
            }
            catch (RpcException error) when (error.StatusCode != StatusCode.Cancelled)
            {
                // The SuperLink refused this result (unknown task, ended run, ...); the next pull shows whether the node is still known.
                LogResultRejected(result.RunId, result.Round, $"{error.StatusCode}: {error.Status.Detail}");
                return true;
            }
        }
    }

    private static bool IsTransient(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.ResourceExhausted;

    [LoggerMessage(LogLevel.Warning, "The SuperLink rejected the result for run {RunId} round {Round}: {Message}")]
    private partial void LogResultRejected(string runId, int round, string message);

    [LoggerMessage(LogLevel.Warning, "Pushing the result for run {RunId} round {Round} failed ({StatusCode}); retrying in {DelaySeconds:F1} s")]
    private partial void LogPushRetry(string runId, int round, StatusCode statusCode, double delaySeconds);

    [LoggerMessage(LogLevel.Error, "Gave up pushing the result for run {RunId} round {Round} after {Attempts} attempts (last: {StatusCode}): the task's deadline {Deadline:u} passed, so the round went on without it")]
    private partial void LogPushGaveUp(string runId, int round, int attempts, StatusCode statusCode, DateTimeOffset deadline);
}
