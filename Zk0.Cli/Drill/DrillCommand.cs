using System.CommandLine;
using Zk0.Cli.Drill.Drills;
using Zk0.Cli.Drill.Soak;

namespace Zk0.Cli.Drill;

/// <summary>
/// <c>zk0 drill</c>: crashes the real services (SuperLink, Garnet, nodes, evaluator) at chosen moments, feeds the
/// federation poisoned updates, and prints one row per drill: the faults, what happened, whether the final model equals
/// the undisturbed run's. <c>zk0 drill soak</c>: many nodes with churn for minutes.
/// </summary>
public static class DrillCommand
{
    public static IReadOnlyList<IDrill> All() =>
    [
        new SuperLinkKillDrill(),
        new LeaderTakeoverDrill(),
        new NodeCrashDrill(),
        new SlowAndHungNodeDrill(),
        new RedisRestartDrill(),
        new EvaluatorKillDrill(),
        new PoisoningDrill(),
    ];

    public static Command Create()
    {
        var quick = new Option<bool>("--short") { Description = "3 SuperLink kills instead of 20 (the test run's version)" };
        var only = new Option<string[]>("--only") { Description = $"run only these drills: {string.Join(", ", All().Select(d => d.Name))}", AllowMultipleArgumentsPerToken = true };
        var seed = new Option<int>("--seed") { Description = "seed of the runs and of the kill moments", DefaultValueFactory = _ => 1 };
        var work = new Option<string?>("--work-dir") { Description = "where blobs, state and logs are written (default: a temporary folder, removed afterwards)" };
        var command = new Command("drill", "Kill the SuperLink, a replica, nodes, Redis and the evaluator mid-run, poison updates; print what the federation survived.")
        {
            quick, only, seed, work, SoakCommand.Create(),
        };
        command.SetAction(async (parse, ct) =>
        {
            var selected = parse.GetValue(only) ?? [];
            var unknown = selected.Where(n => All().All(d => d.Name != n)).ToList();
            if (unknown.Count > 0)
            {
                Console.Error.WriteLine($"zk0 drill: unknown drill(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", All().Select(d => d.Name))}.");
                return 2;
            }
            var ownsWork = parse.GetValue(work) is null;
            var directory = Path.GetFullPath(parse.GetValue(work) ?? Path.Combine(Path.GetTempPath(), $"zk0-drill-{Guid.NewGuid():N}"));
            Directory.CreateDirectory(directory);
            var settings = parse.GetValue(quick) ? DrillSettings.Short(parse.GetValue(seed), directory) : DrillSettings.Full(parse.GetValue(seed), directory);
            try
            {
                return await RunAsync(All().Where(d => selected.Length == 0 || selected.Contains(d.Name)).ToList(), settings, ct);
            }
            finally
            {
                if (ownsWork) Directory.Delete(directory, recursive: true);
            }
        });
        return command;
    }

    /// <summary>Runs each drill and prints the table; exit code 1 when any drill failed.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<IDrill> drills, DrillSettings settings, CancellationToken ct)
    {
        Console.WriteLine($"zk0 drill{(settings.IsShort ? " --short" : "")} --seed {settings.Seed}: {settings.SuperLinkKills} SuperLink kills, {settings.ModelParameters:N0}-parameter model; work dir {settings.WorkDirectory}");
        var rows = new List<DrillRow>();
        var shared = new DrillContext(settings, Console.WriteLine);
        foreach (var drill in drills)
        {
            Console.WriteLine($"[{drill.Name}] running");
            var context = shared.WithLog(line => Console.WriteLine($"[{drill.Name}] {line}"));
            try
            {
                var measured = await drill.RunAsync(context, ct);
                rows.AddRange(measured);
                foreach (var row in measured) Console.WriteLine($"[{drill.Name}] {(row.Passed ? "pass" : "FAIL")}: {row.Result} (final hash {row.FinalHash})");
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Console.Error.WriteLine($"[{drill.Name}] failed: {e}");
                rows.Add(new DrillRow(drill.Name, "-", $"error: {e.Message}", "-", false));
            }
        }
        Console.WriteLine();
        Console.WriteLine(DrillRow.Table(rows));
        Console.WriteLine($"{rows.Count(r => r.Passed)}/{rows.Count} drills passed");
        return rows.All(r => r.Passed) ? 0 : 1;
    }
}
