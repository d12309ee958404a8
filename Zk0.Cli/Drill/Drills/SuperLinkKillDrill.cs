using System.Diagnostics;
using System.Globalization;
using Zk0.Cli.Drill.Nodes;
using Zk0.Cli.Drill.Runs;
using Zk0.Cli.Simulation;

namespace Zk0.Cli.Drill.Drills;

/// <summary>
/// The SuperLink is killed (SIGKILL) at seeded moments of a 4-round run with server evaluation, one run per moment, and
/// started again at once as a supervisor would; every run must complete with the undisturbed run's final model.
/// </summary>
public sealed class SuperLinkKillDrill : IDrill
{
    /// <summary>About how long an undisturbed drill run takes (1.5–5 s): the range of the plain time offsets.</summary>
    private const double RunSeconds = 1.5;
    /// <summary>A moment that came after the run's end is tried again with half the delay, this many times in all.</summary>
    private const int Attempts = 3;

    public string Name => "superlink-kill";

    public async Task<IReadOnlyList<DrillRow>> RunAsync(DrillContext context, CancellationToken ct)
    {
        var reference = await context.ReferenceModelAsync(serverEval: true, initTask: false, ct);
        await using var federation = await DrillFederation.StartAsync(context.Settings, Name, new FederationLayout(false), ct);
        foreach (var dataset in DrillContext.Datasets) await federation.StartTrainerAsync(dataset, TrainerBehaviour.Honest);
        await federation.StartEvaluatorAsync();
        var config = DrillRunConfig.Create(context.Settings.Seed, await federation.UploadInitialModelAsync(ct), serverEval: true, DrillContext.Datasets.Length);

        var moments = KillSchedule.Create(context.Settings.Seed, context.Settings.SuperLinkKills, DrillSettings.Rounds, RunSeconds);
        var failures = new List<string>();
        var restarts = new List<double>();
        var killed = 0;
        var matched = 0;
        var completed = 0;
        foreach (var drawn in moments)
        {
            var moment = drawn;
            try
            {
                for (var attempt = 1; ; attempt++)
                {
                    var runId = await federation.SubmitAsync(config, ct);
                    var run = await FaultedRun.FollowAsync(federation.Operator, runId, (e, assigned, results) => moment.IsTriggeredBy(e, assigned, results), moment.Delay,
                        async t =>
                        {
                            federation.Services.KillSuperLink(0);
                            var restart = Stopwatch.StartNew();
                            await federation.Services.RestartSuperLinkAsync(0, t);
                            restarts.Add(restart.Elapsed.TotalSeconds);
                        }, ct);
                    if (run.FaultAt is null && attempt < Attempts)
                    {
                        moment = moment with { Delay = moment.Delay / 2 };
                        continue;
                    }
                    if (run.FaultAt is null)
                    {
                        failures.Add($"{drawn}: the run ended before the kill {Attempts} times (delay halved each time)");
                        break;
                    }
                    killed++;
                    var final = RunFollower.FinalModel(runId, run.Events);
                    completed++;
                    if (final == reference) matched++;
                    else failures.Add($"{moment}: final model {DrillRow.Short(final)} differs from the undisturbed run's {DrillRow.Short(reference)}");
                    context.Log($"kill at {moment}: run {runId} completed, final model {(final == reference ? "matches" : "DIFFERS")}");
                    break;
                }
            }
            catch (Exception e) when (e is DrillFailedException or Grpc.Core.RpcException or TimeoutException or InvalidOperationException)
            {
                failures.Add($"{moment}: {e.Message}");
                context.Log($"kill at {moment}: {e.Message}");
            }
        }
        var phases = string.Join(", ", moments.GroupBy(m => m.Phase).Select(g => $"{g.Key.ToString().ToLowerInvariant()} ×{g.Count()}"));
        var restartSeconds = restarts.Count > 0 ? restarts.Average().ToString("0.0", CultureInfo.InvariantCulture) : "-";
        return
        [
            new DrillRow("SuperLink kill -9", $"{moments.Count} kills ({phases})",
                $"{killed} kills landed mid-run; {completed}/{moments.Count} runs completed; restart {restartSeconds} s avg"
                + (failures.Count > 0 ? "; " + string.Join("; ", failures) : ""),
                $"{matched}/{moments.Count} match", failures.Count == 0 && matched == moments.Count),
        ];
    }
}
