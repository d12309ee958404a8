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
        var rounds = new Option<int>("--rounds") { Description = "Measurement rounds; the best counts (shared machines are noisy).", DefaultValueFactory = _ => 5 };
        var workDir = new Option<string?>("--work-dir") { Description = "Where to write the benchmark datasets (default: a temp directory, removed afterwards)." };
        var command = new Command("bench", "Loader frames/s vs ffmpeg decoding the same video to raw RGB in one process, and samples/s of batched loading.")
        {
            frames, width, height, codecs, batch, rounds, workDir,
        };
        command.SetAction((parse, cancellationToken) => CliRun.GuardAsync(parse, async output =>
        {
            var keep = parse.GetValue(workDir) is not null;
            var root = parse.GetValue(workDir) ?? Path.Combine(Path.GetTempPath(), $"zk0-bench-{Guid.NewGuid():N}");
            var settings = new LoaderBenchmark.Settings(parse.GetValue(frames), parse.GetValue(width), parse.GetValue(height), parse.GetValue(batch), Math.Max(1, parse.GetValue(rounds)));
            // Refused before anything is written or printed, with the option named.
            foreach (var (name, value) in new[] { ("--frames", settings.Frames), ("--width", settings.Width), ("--height", settings.Height), ("--batch-size", settings.BatchSize) })
                if (value < 1) throw new ArgumentException($"{name} is {value}; give a positive number.");
            var encodings = parse.GetValue(codecs)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(codec => (Name: codec, Encoding: codec switch
                {
                    "av1" => CameraEncoding.Av1,
                    "h264" => CameraEncoding.H264,
                    _ => throw new ArgumentException($"Unknown codec '{codec}'; use av1 or h264."),
                })).ToList();
            try
            {
                await output.WriteLineAsync("frames/s by wall clock, and per CPU-second (this process + its ffmpeg/ffprobe children) in brackets;");
                await output.WriteLineAsync($"best of {settings.Rounds} alternating rounds; ratio = ours / ffmpeg alone (one ffmpeg process, same frames, same pipe).");
                await output.WriteLineAsync("cold = video not yet probed (includes one ffprobe run); the others are warm (probed once per file per process).");
                await output.WriteLineAsync("reader (RGB): every frame a new array; reader (one array) and cold: frames decoded straight into slots of one reused array, as the loader fills a batch's images.");
                await output.WriteLineAsync("to policy: policy batches as a node's training loop receives them (state, 50-step action chunk, uint8 camera frames), before To(device);");
                await output.WriteLineAsync("  one dataset read again each round, as a node reads its own epoch after epoch (the loader's recycled memory warm).");
                await output.WriteLineAsync("+ CPU float: the same plus To(CPU) making the frames float32 CHW in [0,1], what a CPU-only node pays; on a GPU node the bytes move and convert on the GPU instead.");
                await output.WriteLineAsync("Second line per codec: CPU ms per frame (or sample) spent in ffmpeg/ffprobe children + in this process.");
                await output.WriteLineAsync($"Shuffled: batch {settings.BatchSize}, as 'to policy' but in shuffled order.");
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{"codec",-5} {"ffmpeg",17} {"reader cold",17} {"ratio",11} {"reader (RGB)",17} {"ratio",11} {"reader (one array)",17} {"ratio",11} {"to policy",17} {"ratio",11} {"+ CPU float",17} {"ratio",11} {"shuffled samples/s",19}"));
                foreach (var (codec, encoding) in encodings)
                {
                    var r = await LoaderBenchmark.RunAsync(Path.Combine(root, codec), encoding, settings, cancellationToken);
                    string Cell(LoaderBenchmark.Rate rate) => string.Create(CultureInfo.InvariantCulture, $"{rate.Wall,7:0.0} [{rate.PerCpuSecond,7:0.0}]");
                    string Ratio(LoaderBenchmark.Rate rate) => string.Create(CultureInfo.InvariantCulture,
                        $"{rate.Wall / r.Ffmpeg.Wall,4:P0} [{rate.PerCpuSecond / r.Ffmpeg.PerCpuSecond,4:P0}]");
                    await output.WriteLineAsync($"{codec,-5} {Cell(r.Ffmpeg),17} {Cell(r.ReaderCold),17} {Ratio(r.ReaderCold),11} {Cell(r.Reader),17} {Ratio(r.Reader),11} {Cell(r.ReaderPooled),17} {Ratio(r.ReaderPooled),11} {Cell(r.ToPolicy),17} {Ratio(r.ToPolicy),11} {Cell(r.CpuFloat),17} {Ratio(r.CpuFloat),11} {Cell(r.ShuffledSamples),19}");
                    string Split(LoaderBenchmark.Rate rate) => string.Create(CultureInfo.InvariantCulture, $"{rate.ChildCpuMsPerFrame,5:0.00} + {rate.OwnCpuMsPerFrame,5:0.00}");
                    await output.WriteLineAsync($"{"",-5} {Split(r.Ffmpeg),17} {Split(r.ReaderCold),17} {"",11} {Split(r.Reader),17} {"",11} {Split(r.ReaderPooled),17} {"",11} {Split(r.ToPolicy),17} {"",11} {Split(r.CpuFloat),17} {"",11} {Split(r.ShuffledSamples),19}");
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
