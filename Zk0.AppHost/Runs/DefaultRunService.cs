using Zk0.AppHost.Graph;

namespace Zk0.AppHost.Runs;

/// <summary>
/// Submits the AppHost's run once the whole graph is healthy (unless <c>--no-run</c>), and with
/// <c>--exit-when-done</c> stops the AppHost when it ends: exit code 0 if it completed, 1 otherwise.
/// </summary>
public sealed class DefaultRunService(RunLauncher launcher, DefaultRunSettings settings, GraphMonitor monitor, FederationGraph graph, AppHostExit exit)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await monitor.Healthy.WaitAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is GraphStartException or OperationCanceledException)
        {
            await launcher.ShowAsync(RunStates.Failed);
            return;
        }

        if (!settings.SubmitOnStart)
        {
            await launcher.ShowAsync(RunStates.Idle, "no run submitted (--no-run, or --nodes 0): use the superlink's \"Start run\" command in the dashboard or `zk0 run submit`");
            if (graph.ExitWhenDone) exit.StopWith(0);
            return;
        }

        var outcome = await launcher.RunAsync(stoppingToken);
        if (graph.ExitWhenDone && !stoppingToken.IsCancellationRequested) exit.StopWith(outcome is { Completed: true } ? 0 : 1);
    }
}
