using System.CommandLine;
using System.Globalization;
using Zk0.Datasets.Writing;

namespace Zk0.Cli.Dataset;

internal static class BenchCommand
{
    public static Command Create()
    {
        var frames = new Option<int>("--frames") { Description = "Frames per benchmark video.", DefaultValueFactory = _ => 300 };
        var width = new Option<int>("--width") { DefaultValueFactory = _ => 640 };
        var height = new Option<int>("--height") { DefaultValueFactory = _ => 480 };
        var codecs = new Option<string>("--codecs") { Description = "Comma-separated: av1,h264.", DefaultValueFactory = _ => "av1,h264" };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 8 };
        var workDir = new Option<string?>("--work-dir") { Description = "Where to write the benchmark datasets (default: a temp directory, removed afterwards)." };
        var command = new Command("bench", "Loader frames/s vs ffmpeg decoding the same video to raw RGB in one process, and samples/s of batched loading.")
        {
            frames, width, height, codecs, batch, workDir,
        };
        command.SetAction((parse, cancellationToken) => CliRun.GuardAsync(parse, async output =>
        {
            var keep = parse.GetValue(workDir) is not null;
            var root = parse.GetValue(workDir) ?? Path.Combine(Path.GetTempPath(), $"zk0-bench-{Guid.NewGuid():N}");
            var settings = new LoaderBenchmark.Settings(parse.GetValue(frames), parse.GetValue(width), parse.GetValue(height), parse.GetValue(batch));
            try
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{"codec",-6} {"ffmpeg fps",11} {"reader fps",11} {"ratio",6} {"loader fps",11} {"ratio",6} {"samples/s",10} (shuffled, batch {settings.BatchSize}, 50-step action chunk)"));
                foreach (var codec in parse.GetValue(codecs)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var encoding = codec switch
                    {
                        "av1" => CameraEncoding.Av1,
                        "h264" => CameraEncoding.H264,
                        _ => throw new ArgumentException($"Unknown codec '{codec}'; use av1 or h264."),
                    };
                    var r = await LoaderBenchmark.RunAsync(Path.Combine(root, codec), encoding, settings, cancellationToken);
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{codec,-6} {r.FfmpegFps,11:0.0} {r.ReaderFps,11:0.0} {r.ReaderFps / r.FfmpegFps,6:P0} {r.LoaderFps,11:0.0} {r.LoaderFps / r.FfmpegFps,6:P0} {r.ShuffledSamplesPerSecond,10:0.0}"));
                }
            }
            finally
            {
                if (!keep && Directory.Exists(root)) Directory.Delete(root, recursive: true);
            }
            return 0;
        }));
        return command;
    }
}
