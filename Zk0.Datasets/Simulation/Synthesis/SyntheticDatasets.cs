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
    public const int GeneratorVersion = 1;

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

        Directory.CreateDirectory(root);
        var staging = Path.Combine(root, $".staging-{Guid.NewGuid():N}");
        try
        {
            await GenerateAsync(task, episodes, seed, staging, options, cancellationToken);
            try
            {
                Directory.Move(staging, target);
            }
            catch (IOException) when (IsComplete(target))
            {
                // Another process finished the same dataset first; theirs is identical.
            }
            return target;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Writes <paramref name="episodes"/> successful expert demonstrations of <paramref name="task"/>
    /// into <paramref name="outputDir"/> (new or empty) as a LeRobot v3.0 dataset. Episode i is drawn
    /// from a seed derived from (<paramref name="seed"/>, i), so the result depends only on the arguments.
    /// </summary>
    public static async Task<string> GenerateAsync(
        SimTask task, int episodes, int seed, string outputDir, SyntheticDatasetOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentOutOfRangeException.ThrowIfLessThan(episodes, 1);
        options ??= SyntheticDatasetOptions.Default;
        options.Simulator.Validate();

        using var simulator = new ArmSimulator(task, options.Simulator);
        await using var writer = LeRobotDatasetWriter.Create(outputDir, Spec(options.Simulator), options.Writer);
        var failedInARow = 0;
        for (var attempt = 0; writer.EpisodesWritten < episodes; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var demonstration = DemonstrationRecorder.Record(simulator, EpisodeSeed(seed, attempt), options.MaxStepsPerEpisode);
            if (!demonstration.Succeeded)
            {
                if (++failedInARow >= options.MaxFailedDemonstrationsInARow)
                    throw new DatasetException($"The scripted expert failed task '{task.Name}' {failedInARow} times in a row (last seed {demonstration.Seed}); the simulator settings may make it impossible.");
                continue;
            }
            failedInARow = 0;
            await writer.AddEpisodeAsync(task.Instruction, demonstration.Frames, cancellationToken);
        }
        return await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>The dataset layout the generator writes for these simulator settings: SO-100 joints, one video per camera.</summary>
    public static DatasetSpec Spec(SimulatorOptions simulator) =>
        DatasetSpec.So100(
            simulator.Fps,
            simulator.Cameras.Select(c => new CameraSpec(DemonstrationRecorder.FeatureKey(c), simulator.ImageWidth, simulator.ImageHeight)).ToArray(),
            robotType: "so100_follower");

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
        return $"{task.Name}-ep{episodes}-seed{seed}-{sim.ImageWidth}x{sim.ImageHeight}-{sim.Fps}fps-{cameras}-g{GeneratorVersion}-{StableHash(settings):x8}";
    }

    // string.GetHashCode is randomized per process; cache names must be stable across runs.
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = unchecked((hash ^ c) * 16777619u);
        return hash;
    }
}
