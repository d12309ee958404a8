using System.CommandLine;

namespace Zk0.Cli.Bench.Federation;

/// <summary>
/// <c>zk0 bench federation</c>: the coordinator's speed and memory, each row against its goal and, where the goal is
/// a ratio, against this machine's own limit measured in the same run.
/// </summary>
public static class FederationBenchCommand
{
    public static IReadOnlyList<IFederationBench> All() =>
    [
        new FoldBench(),
        new RobustBench(),
        new SuperLinkMemoryBench(),
        new GatewayTransferBench(),
        new RoundOverheadBench(),
        new NodeCapacityBench(),
    ];

    public static Command Create()
    {
        var quick = new Option<bool>("--short") { Description = "small sizes, seconds instead of minutes: proves every row still runs (CI); its figures are not comparable with the goals" };
        var only = new Option<string[]>("--only") { Description = $"run only these groups: {string.Join(", ", All().Select(b => b.Name))}", AllowMultipleArgumentsPerToken = true };
        var work = new Option<string?>("--work-dir") { Description = "where models, blobs and state are written (default: a temporary folder, removed afterwards)" };
        var command = new Command("federation", "Fold speed vs memory bandwidth, SuperLink memory vs node count, gateway vs raw TCP, round overhead, nodes per SuperLink.")
        {
            quick, only, work,
        };
        command.SetAction(async (parse, ct) =>
        {
            var selected = parse.GetValue(only) ?? [];
            var unknown = selected.Where(n => All().All(b => b.Name != n)).ToList();
            if (unknown.Count > 0)
            {
                Console.Error.WriteLine($"zk0 bench federation: unknown group(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", All().Select(b => b.Name))}.");
                return 2;
            }
            var ownsWork = parse.GetValue(work) is null;
            var directory = Path.GetFullPath(parse.GetValue(work) ?? Path.Combine(Path.GetTempPath(), $"zk0-bench-{Guid.NewGuid():N}"));
            Directory.CreateDirectory(directory);
            var settings = parse.GetValue(quick) ? FederationBenchSettings.Short(directory) : FederationBenchSettings.Full(directory);
            try
            {
                return await RunAsync(All().Where(b => selected.Length == 0 || selected.Contains(b.Name)).ToList(), settings, ct);
            }
            finally
            {
                if (ownsWork) Directory.Delete(directory, recursive: true);
            }
        });
        return command;
    }

    /// <summary>Runs each group, prints the table; exit code 1 when a group could not be measured (a short row is not a failure).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<IFederationBench> benches, FederationBenchSettings settings, CancellationToken ct)
    {
        var rows = new List<BenchRow>();
        var failed = 0;
        Console.WriteLine($"zk0 bench federation{(settings.IsShort ? " --short (small sizes: the figures prove the bench runs, they are not comparable with the goals)" : "")}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; work dir {settings.WorkDirectory}");
        foreach (var bench in benches)
        {
            Console.WriteLine($"[{bench.Name}] running");
            try
            {
                var measured = await bench.RunAsync(settings, line => Console.WriteLine($"[{bench.Name}] {line}"), ct);
                rows.AddRange(measured);
                foreach (var row in measured) Console.WriteLine($"[{bench.Name}] {row.Measure}: {row.Result} ({row.Detail})");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed++;
                Console.Error.WriteLine($"[{bench.Name}] could not be measured: {e}");
                rows.Add(new BenchRow(bench.Name, "-", "error", BenchVerdict.Short, e.Message));
            }
        }
        Console.WriteLine();
        Console.WriteLine(BenchTable.Format(rows));
        return failed == 0 ? 0 : 1;
    }
}
