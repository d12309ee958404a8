using System.CommandLine;
using System.Diagnostics;
using Zk0.Datasets;
using Zk0.Datasets.Simulation;
using Zk0.Datasets.Writing;

namespace Zk0.Cli.Dataset;

/// <summary><c>zk0 dataset synth --task NAME --episodes N --out DIR [--seed S]</c>: writes a synthetic SO-100-style LeRobot v3.0 dataset.</summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var task = new Option<string>("--task") { Description = $"Task name: {string.Join(", ", SimTaskCatalog.Names)}", Required = true };
        var episodes = new Option<int>("--episodes") { Description = "Number of successful demonstrations to record", DefaultValueFactory = _ => SyntheticDatasetUri.DefaultEpisodes };
        var output = new Option<string>("--out") { Description = "Directory to create (must not exist or be empty)", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the scene layouts and the expert's noise", DefaultValueFactory = _ => SyntheticDatasetUri.DefaultSeed };
        var width = new Option<int>("--width") { Description = "Camera image width in pixels", DefaultValueFactory = _ => SimulatorOptions.Default.ImageWidth };
        var height = new Option<int>("--height") { Description = "Camera image height in pixels", DefaultValueFactory = _ => SimulatorOptions.Default.ImageHeight };
        var images = new Option<bool>("--images-in-parquet") { Description = "Store PNG images inside the parquet instead of AV1/H.264 video" };

        var command = new Command("synth", "Record scripted demonstrations in the built-in SO-100-style simulator as a LeRobot v3.0 dataset")
        {
            task, episodes, output, seed, width, height, images,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var name = parse.GetValue(task)!;
            if (!SimTaskCatalog.TryGet(name, out var simTask))
            {
                await stderr.WriteLineAsync($"Unknown task '{name}'. Known tasks:");
                foreach (var known in SimTaskCatalog.All) await stderr.WriteLineAsync($"  {known.Name,-26} {known.Instruction}");
                return 2;
            }
            var count = parse.GetValue(episodes);
            if (count < 1)
            {
                await stderr.WriteLineAsync($"--episodes must be at least 1, got {count}.");
                return 2;
            }

            var options = new SyntheticDatasetOptions
            {
                Simulator = SimulatorOptions.Default with { ImageWidth = parse.GetValue(width), ImageHeight = parse.GetValue(height) },
                Writer = new LeRobotWriterOptions { Cameras = parse.GetValue(images) ? CameraEncoding.ParquetImages : CameraEncoding.Auto },
            };
            var outDir = Path.GetFullPath(parse.GetValue(output)!);
            try
            {
                var clock = Stopwatch.StartNew();
                await SyntheticDatasets.GenerateAsync(simTask, count, parse.GetValue(seed), outDir, options, cancellationToken);
                await stdout.WriteLineAsync($"Wrote {count} episodes of '{simTask.Instruction}' to {outDir} in {clock.Elapsed.TotalSeconds:F1} s.");
                return 0;
            }
            catch (Exception error) when (error is DatasetException or ArgumentException)
            {
                await stderr.WriteLineAsync(error.Message);
                return 1;
            }
        });
        return command;
    }
}
