using System.Diagnostics;
using Zk0.Datasets.Frames;
using Zk0.Datasets.Loading;
using Zk0.Datasets.Reading;
using Zk0.Datasets.Samples;
using Zk0.Datasets.Video;
using Zk0.Datasets.Writing;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Abstractions.Data;
using static TorchSharp.torch;

namespace Zk0.Cli.Dataset;

/// <summary>
/// Writes a one-camera dataset, then times ffmpeg alone, our reader, the policy batches a node's training loop receives
/// (uint8 camera frames, before <c>To(device)</c>), the same with the float conversion a CPU-only node's <c>To(CPU)</c> adds,
/// and shuffled batched sampling on it. Our
/// timings start after the dataset is opened (parquet and meta loaded once per training run) and include ffprobe and every
/// ffmpeg process start, as the ffmpeg baseline includes its own.
/// </summary>
internal static class LoaderBenchmark
{
    public sealed record Settings(int Frames, int Width, int Height, int BatchSize, int Rounds);
    /// <summary>A rate by the wall clock and per CPU-second (this process plus its ffmpeg/ffprobe children).</summary>
    public sealed record Rate(double Wall, double PerCpuSecond, double ChildCpuMsPerFrame = 0, double OwnCpuMsPerFrame = 0);
    public sealed record Result(Rate Ffmpeg, Rate ReaderCold, Rate Reader, Rate ReaderPooled, Rate ToPolicy, Rate CpuFloat, Rate ShuffledSamples);

    private const string Camera = "observation.images.front";
    private const int Episodes = 3;
    private const int ChunkSize = 50;

    public static async Task<Result> RunAsync(string root, CameraEncoding encoding, Settings settings, CancellationToken cancellationToken)
    {
        var spec = DatasetSpec.So100(30, [new CameraSpec(Camera, settings.Width, settings.Height)]);
        if (!File.Exists(Path.Combine(root, "meta", "info.json")))
        {
            await using var writer = LeRobotDatasetWriter.Create(root, spec, new LeRobotWriterOptions { Cameras = encoding });
            var perEpisode = Math.Max(1, settings.Frames / Episodes);
            for (var e = 0; e < Episodes; e++) await writer.AddEpisodeAsync($"bench task {e}", Frames(spec, e * perEpisode, perEpisode), cancellationToken);
            await writer.CompleteAsync(cancellationToken);
        }
        var video = Directory.EnumerateFiles(Path.Combine(root, "videos"), "*.mp4", SearchOption.AllDirectories).Single();

        var features = new PolicyFeatures(spec.State.Dim, spec.Action.Dim, ChunkSize, [new CameraFeature(Camera, settings.Height, settings.Width)]);

        // Policy batches come from one dataset per measure, read once per round, as a node reads its dataset epoch after
        // epoch: memory the loader recycles is its steady state, not a first touch.
        using var toPolicy = PolicySource.Open(root, video, features);
        using var cpuFloat = PolicySource.Open(root, video, features);
        // Rounds alternate the measurements so a burst of load on a shared machine hits them alike; the best round counts.
        Rate ffmpegFps = new(0, 0), coldFps = new(0, 0), readerFps = new(0, 0), pooledFps = new(0, 0), toPolicyFps = new(0, 0), cpuFloatFps = new(0, 0);
        for (var round = 0; round < settings.Rounds; round++)
        {
            ffmpegFps = Best(ffmpegFps, FfmpegDecodeFps(video, settings));
            coldFps = Best(coldFps, ReaderFps(root, video, probed: false, intoOneArray: true));
            readerFps = Best(readerFps, ReaderFps(root, video, probed: true, intoOneArray: false));
            pooledFps = Best(pooledFps, ReaderFps(root, video, probed: true, intoOneArray: true));
            toPolicyFps = Best(toPolicyFps, PolicyBatchFps(toPolicy, settings.BatchSize, shuffled: false, toCpu: false));
            cpuFloatFps = Best(cpuFloatFps, PolicyBatchFps(cpuFloat, settings.BatchSize, shuffled: false, toCpu: true));
        }
        var samples = PolicyBatchFps(toPolicy, settings.BatchSize, shuffled: true, toCpu: false);
        return new Result(ffmpegFps, coldFps, readerFps, pooledFps, toPolicyFps, cpuFloatFps, samples);
    }

    private static Rate Best(Rate a, Rate b) => new(Math.Max(a.Wall, b.Wall), Math.Max(a.PerCpuSecond, b.PerCpuSecond),
        a.PerCpuSecond >= b.PerCpuSecond ? a.ChildCpuMsPerFrame : b.ChildCpuMsPerFrame, a.PerCpuSecond >= b.PerCpuSecond ? a.OwnCpuMsPerFrame : b.OwnCpuMsPerFrame);

    private static Rate Measure(Func<int> count)
    {
        var (own, children) = (CpuClock.OwnSeconds(), CpuClock.ChildrenSeconds());
        var clock = Stopwatch.StartNew();
        var n = count();
        var wall = clock.Elapsed.TotalSeconds;
        var (ownUsed, childrenUsed) = (CpuClock.OwnSeconds() - own, CpuClock.ChildrenSeconds() - children);
        return new Rate(n / wall, n / Math.Max(1e-9, ownUsed + childrenUsed), 1000 * childrenUsed / n, 1000 * ownUsed / n);
    }

    private static Rate FfmpegDecodeFps(string video, Settings settings) => Measure(() =>
    {
        var info = new ProcessStartInfo(FfmpegTool.Require()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-hide_banner", "-loglevel", "error", "-nostdin", "-i", video, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1" }) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        _ = process.StandardError.ReadToEndAsync();
        PipeCapacity.TryGrow(process.StandardOutput.BaseStream, Math.Max(1 << 20, settings.Width * settings.Height * 3));
        var buffer = new byte[1 << 20];
        long total = 0;
        int read;
        while ((read = process.StandardOutput.BaseStream.Read(buffer)) > 0) total += read;
        process.WaitForExit();
        return (int)(total / (settings.Width * settings.Height * 3L));
    });

    // The dataset is disposed inside the measurement: that waits for its ffmpeg children, so their CPU time is counted.
    // Warm (probed) runs are a training epoch after the first: ffprobe runs once per file per process, and a process
    // start costs about as much CPU as decoding a hundred 640x480 frames, so the cold figure mostly measures ffprobe.
    // Into one array: frames are decoded straight into slots of one reused array, as the loader fills a batch's image
    // array (and as the ffmpeg baseline reuses one buffer); otherwise every frame is a new array left to the garbage collector.
    private static Rate ReaderFps(string root, string video, bool probed, bool intoOneArray)
    {
        const int chunk = 32;
        byte[]? slots = null;
        var dataset = LeRobotDataset.Open(root);
        if (probed) dataset.VideoReader.Probe(video);
        return Measure(() =>
        {
            using (dataset)
            {
                var frames = 0;
                for (var start = 0; start < dataset.FrameCount; start += chunk)
                {
                    var rows = Enumerable.Range(start, Math.Min(chunk, dataset.FrameCount - start)).ToArray();
                    if (intoOneArray) dataset.ReadFrames(Camera, rows, (i, width, height) => (slots ??= new byte[chunk * width * height * 3]).AsSpan(i * width * height * 3, width * height * 3));
                    else _ = dataset.ReadFrames(Camera, rows);
                    frames += rows.Length;
                }
                return frames;
            }
        });
    }

    private sealed record PolicySource(LeRobotDataset Dataset, LeRobotPolicyDataset Batches) : IDisposable
    {
        public static PolicySource Open(string root, string video, PolicyFeatures features)
        {
            var dataset = LeRobotDataset.Open(root);
            dataset.VideoReader.Probe(video);
            return new PolicySource(dataset, new LeRobotPolicyDataset(dataset, [.. dataset.Episodes.Select(e => e.EpisodeIndex)], features));
        }

        public void Dispose() => Batches.Dispose();
    }

    // Batches as LeRobotPolicyDataset hands them to a node's training loop (state, 50-step action chunk, uint8 camera frames);
    // toCpu adds what a CPU-only node's policy pays in To(CPU): the frames made float32 CHW in [0, 1]. The ffmpeg processes
    // are closed inside the measurement, so their CPU time is counted in it.
    private static Rate PolicyBatchFps(PolicySource source, int batchSize, bool shuffled, bool toCpu) => Measure(() =>
    {
        var batches = shuffled ? source.Batches.ShuffledBatches(batchSize, seed: 1).Take((int)(source.Batches.Count / batchSize)) : source.Batches.SequentialBatches(batchSize);
        var samples = 0;
        foreach (var batch in batches)
            using (batch)
            using (NewDisposeScope())
            {
                if (toCpu) batch.To(CPU);
                samples += batch.Size;
            }
        source.Dataset.VideoReader.CloseStreams();
        return samples;
    });

    /// <summary>Smooth moving gradients and a moving square: compressible like a camera image, different every frame.</summary>
    private static IEnumerable<EpisodeFrame> Frames(DatasetSpec spec, int firstFrame, int count)
    {
        var camera = spec.Cameras[0];
        for (var i = 0; i < count; i++)
        {
            var t = firstFrame + i;
            var pixels = new byte[camera.Width * camera.Height * 3];
            var (sx, sy) = (t * 5 % Math.Max(1, camera.Width - 60), t * 3 % Math.Max(1, camera.Height - 60));
            for (var y = 0; y < camera.Height; y++)
                for (var x = 0; x < camera.Width; x++)
                {
                    var p = (y * camera.Width + x) * 3;
                    var inSquare = x >= sx && x < sx + 60 && y >= sy && y < sy + 60;
                    pixels[p] = inSquare ? (byte)250 : (byte)((x + 4 * t) & 255);
                    pixels[p + 1] = inSquare ? (byte)30 : (byte)(y * 255 / camera.Height);
                    pixels[p + 2] = inSquare ? (byte)30 : (byte)(((x + y) / 2 + 2 * t) & 255);
                }
            var state = Enumerable.Range(0, 6).Select(d => MathF.Sin(t * 0.05f + d)).ToArray();
            yield return new EpisodeFrame(state, state.Select(v => v + 0.01f).ToArray(),
                new Dictionary<string, RgbFrame> { [camera.Key] = new(camera.Width, camera.Height, pixels) });
        }
    }
}
