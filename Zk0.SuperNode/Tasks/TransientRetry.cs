using Grpc.Core;
using Microsoft.Extensions.Options;
using Zk0.Federation.Protocol;
using Zk0.SuperNode.Worker;

namespace Zk0.SuperNode.Tasks;

/// <summary>
/// Retries a task's call to the federation that failed because the SuperLink could not be reached (restarting, say),
/// until the task's deadline: the work behind the task is worth keeping. Any other failure, and one past the deadline,
/// is the caller's.
/// </summary>
public sealed partial class TransientRetry(IOptions<SuperNodeOptions> options, ILogger<TransientRetry> logger)
{
    private readonly SuperNodeOptions _options = options.Value;

    public async Task<T> RunAsync<T>(string what, DateTimeOffset deadline, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var backoff = new RetryBackoff(_options.InitialRetryDelay, _options.MaxRetryDelay);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (RpcException error) when (IsTransient(error, cancellationToken))
            {
                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    LogGaveUp(what, attempt, error.StatusCode, deadline);
                    throw;
                }
                var delay = backoff.NextDelay();
                if (delay > left) delay = left;
                LogRetry(what, error.StatusCode, delay.TotalSeconds);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>The SuperLink could not be reached or was cut off, took too long, or was too busy: worth another try.</summary>
    public static bool IsTransient(RpcException error, CancellationToken cancellationToken) =>
        ConnectionLoss.Is(error, cancellationToken)
        || !cancellationToken.IsCancellationRequested && error.StatusCode is StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted;

    [LoggerMessage(LogLevel.Warning, "{What} failed ({StatusCode}); retrying in {DelaySeconds:F1} s")]
    private partial void LogRetry(string what, StatusCode statusCode, double delaySeconds);

    [LoggerMessage(LogLevel.Error, "Gave up {What} after {Attempts} attempts (last: {StatusCode}): the task's deadline {Deadline:u} passed, so the round went on without it")]
    private partial void LogGaveUp(string what, int attempts, StatusCode statusCode, DateTimeOffset deadline);
}
