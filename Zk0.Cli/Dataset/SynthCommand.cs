using System.CommandLine;
using System.Diagnostics;
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
        var cameras = new Option<string>("--cameras") { Description = $"Comma-separated cameras from: {string.Join(", ", SimCameras.All)}", DefaultValueFactory = _ => string.Join(',', SimulatorOptions.Default.Cameras) };
        var fps = new Option<int>("--fps") { Description = "Frames per second of the recording", DefaultValueFactory = _ => SimulatorOptions.Default.Fps };
        var images = new Option<bool>("--images-in-parquet") { Description = "Store PNG images inside the parquet instead of AV1/H.264 video" };

        var command = new Command("synth", "Record scripted demonstrations in the built-in SO-100-style simulator as a LeRobot v3.0 dataset")
        {
            task, episodes, output, seed, width, height, cameras, fps, images,
        };
        command.SetAction((parse, cancellationToken) => CliRun.GuardAsync(parse, async stdout =>
        {
            var stderr = parse.InvocationConfiguration.Error;
            var name = parse.GetValue(task)!;
            if (!SimTaskCatalog.TryGet(name, out var simTask))
            {
                await stderr.WriteLineAsync($"error: unknown task '{name}'. Known tasks:");
                foreach (var known in SimTaskCatalog.All) await stderr.WriteLineAsync($"  {known.Name,-26} {known.Instruction}");
                return 2;
            }
            var count = parse.GetValue(episodes);
            if (count < 1)
            {
                await stderr.WriteLineAsync($"error: --episodes must be at least 1, got {count}.");
                return 2;
            }

            var options = new SyntheticDatasetOptions
            {
                Simulator = SimulatorOptions.Default with
                {
                    ImageWidth = parse.GetValue(width),
                    ImageHeight = parse.GetValue(height),
                    Fps = parse.GetValue(fps),
                    Cameras = parse.GetValue(cameras)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                },
                Writer = new LeRobotWriterOptions { Cameras = parse.GetValue(images) ? CameraEncoding.ParquetImages : CameraEncoding.Auto },
            };
            var clock = Stopwatch.StartNew();
            var root = await SyntheticDatasets.GenerateAsync(simTask, count, parse.GetValue(seed), parse.GetValue(output)!, options, cancellationToken);
            await stdout.WriteLineAsync($"Wrote {count} episodes of '{simTask.Instruction}' to {root} in {clock.Elapsed.TotalSeconds:F1} s.");
            return 0;
        }));
        return command;
    }
}
