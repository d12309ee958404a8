using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Zk0.SuperLink.Hosting;
using Zk0.SuperLink.State;

namespace Zk0.SuperLink.Rounds;

/// <summary>
/// Finds active runs and drives each one this replica holds the Redis leadership lease for. The lease is renewed
/// while driving; losing it stops the driver, and a stopped replica releases it so another resumes the run at once.
/// When the connection to Redis comes back after a loss, every driver stops and resumes from what Redis holds: a restarted
/// Redis may lack writes it had acknowledged (a round's tasks, say), and a driver that went on from its own memory would
/// wait for results of tasks no node can see.
/// </summary>
public sealed class RoundLoopService(ILinkState state, RunDriver driver, IOptions<SuperLinkOptions> options, ILogger<RoundLoopService> logger)
    : BackgroundService
{
    private readonly SuperLinkOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Task> _driving = new(StringComparer.Ordinal);
    // Cancelled (and replaced) when the connection to Redis comes back: every driver started before then stops.
    private CancellationTokenSource _storeSession = new();
    private readonly HashSet<string> _seenActive = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var reconnects = state.OnReconnected(ResumeFromTheStore);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var active = await state.ListActiveRunIdsAsync(stoppingToken);
                await ReportVanishedRunsAsync(active, stoppingToken);
                foreach (var runId in active)
                {
                    if (_driving.ContainsKey(runId)) continue;
                    if (!await state.TryAcquireRunLeadershipAsync(runId, _options.ReplicaId, _options.LeadershipLease, stoppingToken)) continue;
                    _driving[runId] = Task.Run(() => DriveWhileLeaderAsync(runId, stoppingToken), CancellationToken.None);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Looking for runs to drive failed; retrying");
            }
            try { await Task.Delay(_options.PollInterval, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
        await Task.WhenAll(_driving.Values);
    }

    /// <summary>
    /// A run that left the active set normally ended; one whose record is gone too was lost with Redis's state. Checked here,
    /// not only by its driver, because a driver that failed on the Redis outage itself has stopped before Redis came back empty.
    /// </summary>
    private async Task ReportVanishedRunsAsync(IReadOnlyList<string> active, CancellationToken ct)
    {
        foreach (var runId in _seenActive.Except(active, StringComparer.Ordinal).ToList())
        {
            if (await state.GetRunAsync(runId, ct) is null) driver.ReportLost(runId);
            _seenActive.Remove(runId);
        }
        _seenActive.UnionWith(active);
    }

    private void ResumeFromTheStore()
    {
        var ended = Interlocked.Exchange(ref _storeSession, new CancellationTokenSource());
        if (!_driving.IsEmpty)
            logger.LogWarning("The connection to Redis came back; the drivers of run(s) {RunIds} resume from what it holds", string.Join(", ", _driving.Keys));
        ended.Cancel();
    }

    private async Task DriveWhileLeaderAsync(string runId, CancellationToken stoppingToken)
    {
        using var leadership = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, Volatile.Read(ref _storeSession).Token);
        var renewal = RenewLeadershipAsync(runId, leadership);
        try
        {
            logger.LogInformation("Replica {Replica} drives run {RunId}", _options.ReplicaId, runId);
            await driver.DriveAsync(runId, leadership.Token);
        }
        catch (OperationCanceledException) when (leadership.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            await OnDriverFailedAsync(runId, e, stoppingToken);
        }
        finally
        {
            await leadership.CancelAsync();
            await renewal;
            try { await state.ReleaseRunLeadershipAsync(runId, _options.ReplicaId, CancellationToken.None); }
            catch (Exception e) { logger.LogWarning(e, "Releasing leadership of run {RunId} failed; it expires by itself", runId); }
            _driving.TryRemove(runId, out _);
        }
    }

    /// <summary>
    /// The run stays active and, after a pause, this or another replica resumes it from the stored state; failures in a row
    /// are counted in the state (across replicas and restarts), and after <see cref="SuperLinkOptions.MaxDriverFailures"/>
    /// the run fails with the last error instead of looping.
    /// </summary>
    private async Task OnDriverFailedAsync(string runId, Exception error, CancellationToken stoppingToken)
    {
        try
        {
            var failures = await state.CountDriverFailureAsync(runId, stoppingToken);
            if (failures >= _options.MaxDriverFailures)
            {
                logger.LogError(error, "Driving run {RunId} failed {Failures} times in a row; failing the run", runId, failures);
                await driver.FailAsync(runId, $"Driving run {runId} failed {failures} times in a row; last error: {error.Message}", stoppingToken);
                return;
            }
            logger.LogError(error, "Driving run {RunId} failed ({Failures} of {Max} in a row); it will be resumed", runId, failures, _options.MaxDriverFailures);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            logger.LogError(error, "Driving run {RunId} failed, and counting the failure failed too ({Reason}); it will be resumed", runId, e.Message);
        }
        await Task.Delay(_options.PollInterval, CancellationToken.None);
    }

    private async Task RenewLeadershipAsync(string runId, CancellationTokenSource leadership)
    {
        var interval = _options.LeadershipLease / 3;
        while (!leadership.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, leadership.Token);
                if (!await state.TryAcquireRunLeadershipAsync(runId, _options.ReplicaId, _options.LeadershipLease, leadership.Token))
                {
                    logger.LogWarning("Replica {Replica} lost leadership of run {RunId}", _options.ReplicaId, runId);
                    await leadership.CancelAsync();
                }
            }
            catch (OperationCanceledException) { return; }
            catch (Exception e) { logger.LogWarning(e, "Renewing leadership of run {RunId} failed; retrying", runId); }
        }
    }
}
