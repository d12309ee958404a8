using Microsoft.Extensions.Options;
using Zk0.SuperLink.Hosting;
using Zk0.SuperLink.State;

namespace Zk0.SuperLink.Fleet;

/// <summary>
/// Deletes node records whose lease expired more than <see cref="SuperLinkOptions.ForgetNodesAfter"/> ago, so nodes that
/// left (or were registered by a flood and never heard from again) do not pile up in Redis or count against
/// <see cref="InputLimits.MaxNodes"/>. Every replica sweeps; deleting is idempotent.
/// </summary>
public sealed class StaleNodeSweeper(ILinkState state, IOptions<SuperLinkOptions> options, TimeProvider clock, ILogger<StaleNodeSweeper> logger)
    : BackgroundService
{
    private readonly SuperLinkOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var cutoff = (clock.GetUtcNow() - _options.ForgetNodesAfter).ToUnixTimeMilliseconds();
                    var forgotten = await state.ForgetNodesAsync(cutoff, stoppingToken);
                    if (forgotten > 0)
                        logger.LogInformation("Forgot {Nodes} node(s) silent for {ForgetNodesAfter} after their lease expired", forgotten, _options.ForgetNodesAfter);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Forgetting stale nodes failed; the next sweep tries again");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
