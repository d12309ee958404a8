using Zk0.Datasets.Writing;

namespace Zk0.Datasets.Simulation;

/// <summary>
/// The project's embedded default data: LeRobot v3.0 datasets of scripted demonstrations in the
/// simulator, generated on first use and cached. Generation writes into a temporary directory and
/// renames it into place, so a crash never leaves half a dataset where a reader would find it.
/// </summary>
public static class SyntheticDatasets
{
    /// <summary>Bumped whenever the simulator or expert changes what a given seed produces, so old caches are not reused.</summary>
    public const int GeneratorVersion = 2;

    public const string CacheDirVariable = "ZK0_SYNTH_CACHE";

    /// <summary><c>$ZK0_SYNTH_CACHE</c>, else <c>$XDG_CACHE_HOME/zk0/synthetic</c>, else <c>~/.cache/zk0/synthetic</c>.</summary>
    public static string DefaultCacheDir
    {
        get
        {
            var explicitDir = Environment.GetEnvironmentVariable(CacheDirVariable);
            if (!string.IsNullOrWhiteSpace(explicitDir)) return Path.GetFullPath(explicitDir);
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var cacheRoot = !string.IsNullOrWhiteSpace(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(cacheRoot, "zk0", "synthetic");
        }
    }

    /// <summary>Path of the cached dataset for these settings, generating it first when it is missing.</summary>
    public static string EnsureGenerated(SimTask task, int episodes, int seed, string? cacheDir = null, SyntheticDatasetOptions? options = null) =>
        EnsureGeneratedAsync(task, episodes, seed, cacheDir, options).GetAwaiter().GetResult();

    public static async Task<string> EnsureGeneratedAsync(
        SimTask task, int episodes, int seed, string? cacheDir = null, SyntheticDatasetOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        options ??= SyntheticDatasetOptions.Default;
        var root = Path.GetFullPath(cacheDir ?? DefaultCacheDir);
        var target = Path.Combine(root, CacheName(task, episodes, seed, options));
        if (IsComplete(target)) return target;
        if (Directory.Exists(target))
            throw new DatasetException($"'{target}' exists but holds no finished synthetic dataset (no meta/info.json). Delete it and run again; it will be regenerated.");

        try
        {
            return await GenerateAsync(task, episodes, seed, target, options, cancellationToken);
        }
        catch (DatasetException) when (IsComplete(target))
        {
            return target; // another process finished the same dataset first; theirs is identical
        }
    }

    /// <summary>
    /// Writes <paramref name="episodes"/> successful expert demonstrations of <paramref name="task"/>
    /// into <paramref name="outputDir"/> (new or empty) as a LeRobot v3.0 dataset. Episode i is drawn
    /// from a seed derived from (<paramref name="seed"/>, i), so the result depends only on the arguments.
    /// The dataset is written next to <paramref name="outputDir"/> and moved there once complete, so
    /// a failure or a crash never leaves half a dataset at that path.
    /// </summary>
    public static async Task<string> GenerateAsync(
        SimTask task, int episodes, int seed, string outputDir, SyntheticDatasetOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentOutOfRangeException.ThrowIfLessThan(episodes, 1);
        options ??= SyntheticDatasetOptions.Default;
        options.Simulator.Validate();
        var writerOptions = WriterOptionsFor(options);
        var target = Path.GetFullPath(outputDir);
        if (File.Exists(target) || (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any()))
            throw new DatasetException($"Refusing to write a synthetic dataset into '{target}': it already exists and is not empty. Choose a new directory.");

        var parent = Path.GetDirectoryName(target) ?? throw new DatasetException($"'{target}' has no parent directory to write into.");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.partial-{Guid.NewGuid():N}");
        try
        {
            await WriteAsync(task, episodes, seed, staging, options, writerOptions, cancellationToken);
            if (Directory.Exists(target)) Directory.Delete(target); // empty, checked above
            Directory.Move(staging, target);
            return target;
        }
        catch (IOException error) when (Directory.Exists(target))
        {
            throw new DatasetException($"'{target}' appeared while the synthetic dataset was being generated; it was left as it is.", error);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>The dataset layout the generator writes for these simulator settings: SO-100 joints, one video per camera.</summary>
    public static DatasetSpec Spec(SimulatorOptions simulator) =>
        DatasetSpec.So100(
            simulator.Fps,
            simulator.Cameras.Select(c => new CameraSpec(DemonstrationRecorder.FeatureKey(c), simulator.ImageWidth, simulator.ImageHeight)).ToArray(),
            robotType: "so100_follower");

    private static async Task WriteAsync(
        SimTask task, int episodes, int seed, string directory, SyntheticDatasetOptions options, LeRobotWriterOptions writerOptions, CancellationToken cancellationToken)
    {
        using var simulator = new ArmSimulator(task, options.Simulator);
        await using var writer = LeRobotDatasetWriter.Create(directory, Spec(options.Simulator), writerOptions);
        var failedInARow = 0;
        for (var attempt = 0; writer.EpisodesWritten < episodes; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var demonstration = DemonstrationRecorder.Record(simulator, EpisodeSeed(seed, attempt), options.MaxStepsPerEpisode, options.RecoveryNoiseDegrees);
            if (!demonstration.Succeeded)
            {
                if (++failedInARow >= options.MaxFailedDemonstrationsInARow)
                    throw new DatasetException($"The scripted expert failed task '{task.Name}' {failedInARow} times in a row (last seed {demonstration.Seed}); the simulator settings may make it impossible.");
                continue;
            }
            failedInARow = 0;
            await writer.AddEpisodeAsync(task.Instruction, demonstration.Frames, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }

    // Video needs even image sides (yuv420p) and SVT-AV1 at least 64 pixels; pick what fits or say what to change.
    private static LeRobotWriterOptions WriterOptionsFor(SyntheticDatasetOptions options)
    {
        var (width, height) = (options.Simulator.ImageWidth, options.Simulator.ImageHeight);
        var writer = options.Writer;
        if (writer.Cameras == CameraEncoding.ParquetImages) return writer;
        if (width % 2 != 0 || height % 2 != 0)
            throw new DatasetException($"Synthetic camera images of {width}x{height} cannot be stored as video: both sides must be even. Use an even size or store images inside the parquet.");
        var tooSmallForAv1 = width < 64 || height < 64;
        if (tooSmallForAv1 && writer.Cameras == CameraEncoding.Av1)
            throw new DatasetException($"AV1 (SVT-AV1) needs images of at least 64x64; {width}x{height} is smaller. Use H.264, a larger size or images inside the parquet.");
        return tooSmallForAv1 && writer.Cameras == CameraEncoding.Auto && Video.FfmpegTool.HasEncoder("libx264", writer.FfmpegPath)
            ? writer with { Cameras = CameraEncoding.H264 }
            : writer;
    }

    /// <summary>Seed of the attempt-th episode: a fixed mix of the dataset seed and the attempt number.</summary>
    public static int EpisodeSeed(int seed, int attempt) => unchecked((seed * 1_000_003) ^ (attempt * 7919 + 17));

    private static bool IsComplete(string datasetDir) => File.Exists(Path.Combine(datasetDir, "meta", "info.json"));

    // Everything that changes the bytes goes into the name: the readable part for people, a hash of the rest.
    private static string CacheName(SimTask task, int episodes, int seed, SyntheticDatasetOptions options)
    {
        var sim = options.Simulator;
        var cameras = string.Join('+', sim.Cameras);
        var settings = string.Join('|', sim.Geometry, sim.MaxJointSpeedDegreesPerSecond, sim.MaxGripperSpeedPerSecond,
            sim.ServoTimeConstantSeconds, options.Writer, options.MaxStepsPerEpisode);
        var recovery = options.RecoveryNoiseDegrees > 0 ? $"-recovery{options.RecoveryNoiseDegrees.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "";
        return $"{task.Name}-ep{episodes}-seed{seed}{recovery}-{sim.ImageWidth}x{sim.ImageHeight}-{sim.Fps}fps-{cameras}-g{GeneratorVersion}-{StableHash(settings):x8}";
    }

    // string.GetHashCode is randomized per process; cache names must be stable across runs.
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = unchecked((hash ^ c) * 16777619u);
        return hash;
    }
}
