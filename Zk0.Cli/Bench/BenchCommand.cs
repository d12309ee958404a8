using System.CommandLine;

namespace Zk0.Cli.Bench;

/// <summary><c>zk0 bench policy</c>: seconds per SmolVLA training step and peak memory; <c>zk0 bench federation</c>: the coordinator.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var dtype = new Option<string>("--dtype") { Description = "f32, bf16, or bf16-mixed (LeRobot's layout: VLM and expert bf16, projections f32)", DefaultValueFactory = _ => "f32" };
        var batch = new Option<int>("--batch") { Description = "batch size", DefaultValueFactory = _ => 1 };
        var cameras = new Option<int>("--cameras") { Description = "number of cameras", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "timed training steps (after one warm-up step)", DefaultValueFactory = _ => 3 };

        var policy = new Command("policy", "Build full-size smolvla_base with random weights and time training steps.")
        {
            device, dtype, batch, cameras, steps,
        };
        policy.SetAction(parse =>
        {
            var options = new PolicyBenchOptions(parse.GetValue(device)!, parse.GetValue(dtype)!, parse.GetValue(batch),
                parse.GetValue(cameras), parse.GetValue(steps));
            try
            {
                var result = PolicyBenchmark.Run(options, Console.WriteLine);
                Console.WriteLine($"policy bench: device={options.Device} dtype={options.DType} batch={options.Batch} cameras={options.Cameras} " +
                    $"steps={options.Steps} median_s_per_step={result.MedianSecondsPerStep:F3} min_s_per_step={result.MinSecondsPerStep:F3} " +
                    $"median_cpu_s_per_step={result.MedianCpuSecondsPerStep:F3} threads={TorchSharp.torch.get_num_threads()} " +
                    $"peak_rss_mib={result.PeakResidentBytes / (1024.0 * 1024):F0} build_s={result.BuildSeconds:F1}");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                Console.Error.WriteLine($"zk0 bench policy: {e.Message}");
                return 2;
            }
        });

        return new Command("bench", "Benchmarks that print speed and memory figures.") { policy, Federation.FederationBenchCommand.Create() };
    }
}
