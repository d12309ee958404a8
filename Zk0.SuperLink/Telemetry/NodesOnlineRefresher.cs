using Microsoft.Extensions.Options;
using Zk0.SuperLink.Hosting;
using Zk0.SuperLink.Rounds;
using Zk0.SuperLink.State;

namespace Zk0.SuperLink.Telemetry;

/// <summary>
/// Counts the nodes with a live lease once per heartbeat interval (leases change no faster) and caches the counts for
/// the <see cref="SuperLinkTelemetry.NodesOnline"/> gauge.
/// </summary>
public sealed class NodesOnlineRefresher(ILinkState state, IOptions<SuperLinkOptions> options, ILogger<NodesOnlineRefresher> logger)
    : BackgroundService
{
    private readonly SuperLinkOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval);
        try
        {
            do
            {
                try
                {
                    var online = await state.ListNodesAsync(includeExpired: false, stoppingToken);
                    foreach (var role in (string[])[NodeRoles.Trainer, NodeRoles.Evaluator])
                        SuperLinkTelemetry.SetNodesOnline(_options.KeyPrefix, role, online.Count(n => n.Role == role));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Counting the nodes online failed; the gauge keeps its last value");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            SuperLinkTelemetry.ForgetNodesOnline(_options.KeyPrefix);
        }
    }
}
