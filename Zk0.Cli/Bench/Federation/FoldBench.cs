using System.Diagnostics;
using System.Globalization;
using Zk0.Federation.Safetensors;
using Zk0.Federation.Strategies;
using Zk0.Cli.Simulation;

namespace Zk0.Cli.Bench.Federation;

/// <summary>
/// FedAvg's fold (<see cref="WeightedAverageAggregator.Add"/>) over update files already in the page cache, against one
/// thread's <c>acc += w·x</c> over the same number of elements in memory (<see cref="FoldBandwidth"/>). Bytes are
/// counted the same way on both sides: acc read + acc write (float32) + the update's bytes (4 per element in float32,
/// 2 in bfloat16). The two are timed in alternation and each keeps its best time, so a busy machine slows both alike.
/// </summary>
public sealed class FoldBench : IFederationBench
{
    private const int Repetitions = 5;
    private const double Goal = 0.70;

    public string Name => "fold";

    public Task<IReadOnlyList<BenchRow>> RunAsync(FederationBenchSettings settings, Action<string> log, CancellationToken ct)
    {
        var model = new SyntheticModel(settings.FoldParameters);
        var n = settings.FoldUpdates;
        var p = model.Parameters;
        log($"model: {model.Tensors.Count} tensors, {p:N0} parameters; {n} updates per fold; the update files are read once before (page cache warm)");
        var bandwidth = new FoldBandwidth(p);

        var rows = new List<BenchRow>();
        foreach (var dtype in new[] { SafetensorsDType.F32, SafetensorsDType.BF16 })
        {
            ct.ThrowIfCancellationRequested();
            var name = dtype == SafetensorsDType.F32 ? "float32" : "bfloat16";
            var directory = Directory.CreateDirectory(Path.Combine(settings.WorkDirectory, $"fold-{name}")).FullName;
            var globalPath = Path.Combine(directory, "global.safetensors");
            model.Write(globalPath, dtype, seed: 0);
            var updates = Enumerable.Range(1, n).Select(u =>
            {
                var path = Path.Combine(directory, $"update-{u:D3}.safetensors");
                model.Write(path, dtype, seed: u);
                return new TrainUpdate($"node-{u:D3}", path, 100 + u, new Dictionary<string, double>());
            }).ToList();
            foreach (var update in updates) ReadThrough(update.UpdatePath);

            var outputPath = Path.Combine(directory, "aggregated.safetensors");
            double fold = double.MaxValue, write = double.MaxValue, plain = double.MaxValue, multiplyAdd = double.MaxValue;
            for (var r = 0; r < Repetitions; r++)
            {
                ct.ThrowIfCancellationRequested();
                using (var aggregator = new WeightedAverageAggregator(globalPath, dtype))
                {
                    var watch = Stopwatch.StartNew();
                    foreach (var update in updates) aggregator.Add(update);
                    fold = Math.Min(fold, watch.Elapsed.TotalSeconds);
                    watch.Restart();
                    using (var output = File.Create(outputPath)) aggregator.WriteGlobalModel(output);
                    write = Math.Min(write, watch.Elapsed.TotalSeconds);
                }
                plain = Math.Min(plain, bandwidth.PlainLoop(n));
                multiplyAdd = Math.Min(multiplyAdd, bandwidth.MultiplyAdd(n));
            }

            var foldGbps = n * p * (8.0 + FloatTensors.ElementSize(dtype)) / fold / 1e9;
            var plainGbps = n * bandwidth.BytesPerPass / plain / 1e9;
            var multiplyAddGbps = n * bandwidth.BytesPerPass / multiplyAdd / 1e9;
            var limit = Math.Max(plainGbps, multiplyAddGbps);
            log($"{name}: fold {Gbps(foldGbps)}, acc += w·x plain loop {Gbps(plainGbps)}, MultiplyAdd {Gbps(multiplyAddGbps)}");
            rows.Add(BenchRow.Compare($"fold {n} updates × {Millions(p)} {name}, page cache warm", $"≥ {Goal:P0} of acc += w·x in memory",
                foldGbps / limit, ratio => ratio >= Goal, "P0",
                $"fold {Gbps(foldGbps)} ({Seconds(fold)}); acc += w·x {Gbps(limit)} ({Seconds(Math.Min(plain, multiplyAdd))}; plain loop {Gbps(plainGbps)}, MultiplyAdd {Gbps(multiplyAddGbps)}); best of {Repetitions}"));
            var written = new FileInfo(outputPath).Length;
            rows.Add(BenchRow.Figure($"write the aggregated model, {Millions(p)} {name}", Seconds(write),
                $"{Gbps(written / write / 1e9)} into the page cache ({ProcessMemory.Mib(written)}); best of {Repetitions}"));
            Directory.Delete(directory, recursive: true);
        }
        return Task.FromResult<IReadOnlyList<BenchRow>>(rows);
    }

    private static void ReadThrough(string path)
    {
        var buffer = new byte[1 << 20];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        while (stream.Read(buffer) > 0)
        {
        }
    }

    private static string Gbps(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " GB/s";

    private static string Seconds(double value) => value.ToString("0.000", CultureInfo.InvariantCulture) + " s";

    private static string Millions(long value) => (value / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + " M";
}
