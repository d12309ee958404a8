using Grpc.Core;
using Zk0.Federation.Protocol;
using FleetClient = Zk0.Federation.Protocol.Fleet.FleetClient;

namespace Zk0.SuperNode.Tasks;

/// <summary>Delivers a finished task's result, retrying while the SuperLink is unreachable until the task's deadline.</summary>
public sealed partial class ResultPusher(FleetClient fleet, TransientRetry retry, ILogger<ResultPusher> logger)
{
    /// <summary>Returns true once the SuperLink answered (accepted or refused), false when the deadline passed first.</summary>
    public async Task<bool> PushAsync(PushResultRequest result, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await retry.RunAsync($"pushing the result for run {result.RunId} round {result.Round}", deadline,
                () => fleet.PushResultAsync(result, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);
            if (!reply.Accepted) LogResultRejected(result.RunId, result.Round, reply.Message);
            return true;
        }
        catch (RpcException error) when (TransientRetry.IsTransient(error, cancellationToken))
        {
            return false; // past the deadline; TransientRetry said so
        }
        catch (RpcException error) when (error.StatusCode != StatusCode.Cancelled)
        {
            // The SuperLink refused this result (unknown task, ended run, ...); the next pull shows whether the node is still known.
            LogResultRejected(result.RunId, result.Round, $"{error.StatusCode}: {error.Status.Detail}");
            return true;
        }
    }

    [LoggerMessage(LogLevel.Warning, "The SuperLink rejected the result for run {RunId} round {Round}: {Message}")]
    private partial void LogResultRejected(string runId, int round, string message);
}
