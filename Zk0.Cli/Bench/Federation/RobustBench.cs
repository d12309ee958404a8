using System.Diagnostics;
using System.Globalization;
using Zk0.Federation.Runs;
using Zk0.Federation.Safetensors;
using Zk0.Federation.Strategies;
using Zk0.Cli.Simulation;

namespace Zk0.Cli.Bench.Federation;

/// <summary>
/// The robust aggregators (median, trimmed mean, Krum) over many float32 updates: how much the process's resident
/// memory grows while one aggregates a round and writes the new model, against the size of the updates it combines.
/// Goal: the growth stays within the size of one update, whatever the number of nodes.
/// </summary>
public sealed class RobustBench : IFederationBench
{
    private static readonly (string Label, string Strategy, string Parameters)[] Strategies =
    [
        ("median", "fedmedian", ""),
        ("trimmed mean", "fedtrimmedavg", "trimmed-beta=0.2"),
        ("Krum", "krum", "num-malicious-nodes=2"),
    ];

    public string Name => "robust";

    public Task<IReadOnlyList<BenchRow>> RunAsync(FederationBenchSettings settings, Action<string> log, CancellationToken ct)
    {
        var model = new SyntheticModel(settings.RobustParameters);
        var n = settings.RobustNodes;
        var directory = Directory.CreateDirectory(Path.Combine(settings.WorkDirectory, "robust")).FullName;
        var globalPath = Path.Combine(directory, "global.safetensors");
        model.Write(globalPath, SafetensorsDType.F32, seed: 0);
        var updates = Enumerable.Range(1, n).Select(u =>
        {
            var path = Path.Combine(directory, $"update-{u:D3}.safetensors");
            model.Write(path, SafetensorsDType.F32, seed: u);
            return new TrainUpdate($"node-{u:D3}", path, 100 + u, new Dictionary<string, double>());
        }).ToList();
        var updateBytes = new FileInfo(updates[0].UpdatePath).Length;
        log($"{n} updates of {model.Parameters:N0} float32 parameters ({ProcessMemory.Mib(updateBytes)} each, {ProcessMemory.Mib(n * updateBytes)} in all)");

        var rows = new List<BenchRow>();
        foreach (var (label, name, parameters) in Strategies)
        {
            ct.ThrowIfCancellationRequested();
            var config = RunConfiguration.Parse(RunConfiguration.ParseAssignments($"strategy={name} {parameters}"));
            var strategy = StrategyCatalog.Create(config);
            var (growth, seconds, cpuSeconds) = MeasureRound(strategy, config, globalPath, updates, Path.Combine(directory, $"{name}.safetensors"));
            var estimate = strategy.EstimateMemory(n, model.Parameters);
            rows.Add(BenchRow.Compare($"{label}: peak memory growth, {n} updates × {Millions(model.Parameters)} float32",
                $"≤ one update ({ProcessMemory.Mib(updateBytes)})", growth / (1024.0 * 1024.0), mib => mib * 1024 * 1024 <= updateBytes, "0' MiB'",
                $"{n} updates = {ProcessMemory.Mib(n * updateBytes)}; estimate: {estimate}; round aggregated and written in {seconds.ToString("0.0", CultureInfo.InvariantCulture)} s ({cpuSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s of CPU)"));
        }
        Directory.Delete(directory, recursive: true);
        return Task.FromResult<IReadOnlyList<BenchRow>>(rows);
    }

    /// <summary>Peak resident memory above the resident memory before the round, the round's duration and the CPU time it took (the machine may be shared).</summary>
    private static (long Growth, double Seconds, double CpuSeconds) MeasureRound(IStrategy strategy, RunConfiguration config, string globalPath, IReadOnlyList<TrainUpdate> updates, string outputPath)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var processId = Environment.ProcessId;
        var before = ProcessMemory.CurrentResidentBytes(processId);
        ProcessMemory.ResetPeak(processId);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        using (var aggregator = strategy.BeginAggregateTrain(1, config, globalPath, Path.GetDirectoryName(outputPath)))
        {
            foreach (var update in updates) aggregator.Add(update);
            using var output = File.Create(outputPath);
            aggregator.WriteGlobalModel(output);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        return (ProcessMemory.PeakResidentBytes(processId) - before, seconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    private static string Millions(long value) => (value / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + " M";
}
