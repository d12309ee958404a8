using System.Diagnostics;
using Zk0.Policy.SmolVla;
using Zk0.Policy.SmolVla.Configuration;
using Zk0.Policy.SmolVla.Embeddings;
using Zk0.Policy.SmolVla.Training;
using static TorchSharp.torch;

namespace Zk0.Cli.Bench;

public sealed record PolicyBenchOptions(string Device, string DType, int Batch, int Cameras, int Steps);

public sealed record PolicyBenchResult(double MedianSecondsPerStep, double MinSecondsPerStep, double MedianCpuSecondsPerStep, long PeakResidentBytes, double BuildSeconds);

/// <summary>
/// Times training steps of the full-size smolvla_base architecture with random weights on random inputs:
/// one warm-up step, then <c>Steps</c> timed steps (forward, backward, clip, AdamW).
/// </summary>
public static class PolicyBenchmark
{
    public static PolicyBenchResult Run(PolicyBenchOptions o, Action<string> log)
    {
        var device = o.Device switch
        {
            "cpu" => CPU,
            "cuda" => cuda.is_available() ? CUDA : throw new InvalidOperationException("--device cuda: no CUDA device is visible to libtorch (this build references libtorch-cpu)."),
            _ => throw new ArgumentException($"--device must be cpu or cuda, got '{o.Device}'."),
        };
        var placement = o.DType switch
        {
            "f32" => new TensorPlacement(device, ScalarType.Float32),
            "bf16" => new TensorPlacement(device, ScalarType.BFloat16),
            "bf16-mixed" => TensorPlacement.LeRobotMixed(device),
            _ => throw new ArgumentException($"--dtype must be f32, bf16 or bf16-mixed, got '{o.DType}'."),
        };
        var dtype = placement.DType;
        if (o.Batch < 1 || o.Cameras < 1 || o.Steps < 1)
            throw new ArgumentException("--batch, --cameras and --steps must be at least 1.");

        var baseConfig = new SmolVlaConfig();
        var features = Enumerable.Range(1, o.Cameras)
            .Select(i => new KeyValuePair<string, PolicyFeature>($"observation.images.camera{i}", new PolicyFeature(FeatureKind.Visual, [3, 480, 640])))
            .Append(new KeyValuePair<string, PolicyFeature>("observation.state", new PolicyFeature(FeatureKind.State, [6])))
            .ToList();
        var arch = SmolVlaArchitecture.SmolVlaBase with { Policy = baseConfig with { InputFeatures = features } };

        var build = Stopwatch.StartNew();
        manual_seed(0);
        using var policy = new SmolVlaPolicy(arch, placement);
        build.Stop();
        log($"built smolvla_base ({policy.named_parameters().Sum(p => p.parameter.numel()):N0} parameters) on {o.Device} in {o.DType} in {build.Elapsed.TotalSeconds:F1} s");

        using var trainer = new SmolVlaTrainer(policy);
        var (width, height) = baseConfig.ResizeImagesWithPadding ?? (640, 480);
        var images = Enumerable.Range(0, o.Cameras).Select(_ => (rand(o.Batch, 3, height, width, device: device) * 2 - 1).to(dtype)).ToList();
        var masks = Enumerable.Range(0, o.Cameras).Select(_ => ones(o.Batch, dtype: ScalarType.Bool, device: device)).ToList();
        var tokens = randint(3, arch.Vlm.Text.VocabSize, [o.Batch, baseConfig.TokenizerMaxLength], dtype: ScalarType.Int64, device: device);
        var languageMask = ones(o.Batch, baseConfig.TokenizerMaxLength, dtype: ScalarType.Bool, device: device);
        var state = randn(o.Batch, baseConfig.MaxStateDim, device: device).to(dtype);
        var inputs = new PolicyInputs(images, masks, tokens, languageMask, state);
        var actions = randn(o.Batch, baseConfig.ChunkSize, baseConfig.MaxActionDim, device: device).to(dtype);
        var generator = new Generator(0);

        var seconds = new List<double>();
        var cpuSeconds = new List<double>();
        var process = Process.GetCurrentProcess();
        for (var step = 0; step <= o.Steps; step++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var result = trainer.TrainStep(inputs, actions, null, generator);
            if (device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize(device);
            watch.Stop();
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            log($"step {step}{(step == 0 ? " (warm-up)" : "")}: {watch.Elapsed.TotalSeconds:F2} s wall, {cpu:F2} s CPU, loss {result.Loss:F4}, grad norm {result.GradNorm:F3}");
            if (step > 0)
            {
                seconds.Add(watch.Elapsed.TotalSeconds);
                cpuSeconds.Add(cpu);
            }
        }

        return new PolicyBenchResult(Median(seconds), seconds.Min(), Median(cpuSeconds), Simulation.ProcessMemory.PeakResidentBytes(Environment.ProcessId), build.Elapsed.TotalSeconds);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
