using Microsoft.Extensions.Options;
using Zk0.SuperLink.Telemetry;

namespace Zk0.SuperLink.Blobs;

/// <summary>Runs <see cref="BlobCollector"/> every <see cref="BlobCollectionOptions.Interval"/>; replicas sharing a store may all run it.</summary>
public sealed class BlobCollectionService(BlobCollector collector, IOptions<BlobCollectionOptions> options, ILogger<BlobCollectionService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(options.Value.Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var report = await collector.CollectAsync(stoppingToken);
                    SuperLinkTelemetry.BlobsCollected.Add(report.BlobsDeleted);
                    SuperLinkTelemetry.BlobBytesCollected.Add(report.BytesFreed);
                    if (report.BlobsDeleted > 0 || report.RunStatesDeleted > 0)
                        logger.LogInformation("Collected {Blobs} blob(s), {MiB:F1} MiB; {Kept} blob(s), {KeptMiB:F1} MiB kept; strategy state of {Runs} finished run(s) removed",
                            report.BlobsDeleted, report.BytesFreed / 1048576.0, report.BlobsKept, report.BytesKept / 1048576.0, report.RunStatesDeleted);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Collecting unused blobs failed; the next pass retries");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
