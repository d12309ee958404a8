using System.Globalization;

namespace Zk0.Datasets.Simulation;

/// <summary>
/// A dataset URI naming a synthetic dataset: <c>synth:&lt;task&gt;[?episodes=N&amp;seed=S&amp;recovery=D]</c>, e.g.
/// <c>synth:red-cube-to-left-bin?episodes=20&amp;seed=0</c>. Resolving it generates the dataset into the
/// cache on first use (<see cref="SyntheticDatasets.EnsureGenerated"/>). <c>recovery</c> is
/// <see cref="SyntheticDatasetOptions.RecoveryNoiseDegrees"/>.
/// </summary>
public sealed record SyntheticDatasetUri(SimTask Task, int Episodes, int Seed, float RecoveryNoiseDegrees = 0)
{
    public const float MaxRecoveryNoiseDegrees = 20;
    public const string Scheme = "synth";
    public const int DefaultEpisodes = 20;
    public const int DefaultSeed = 0;
    public const int MaxEpisodes = 100_000;
    private const string Prefix = Scheme + ":";

    /// <summary>Seed of the held-out evaluation scenes; training datasets use small seeds, so these layouts are never trained on.</summary>
    public const int HeldOutSeed = 1_000_000;

    /// <summary>The default training dataset of node <paramref name="nodeIndex"/> (0-based): its own task, so node data is non-IID.</summary>
    public static SyntheticDatasetUri ForNode(int nodeIndex, int episodes = DefaultEpisodes, int seed = DefaultSeed) =>
        new(SimTaskCatalog.ForNode(nodeIndex), episodes, seed);

    /// <summary>Held-out episodes of <paramref name="task"/> for server-side evaluation.</summary>
    public static SyntheticDatasetUri HeldOut(SimTask task, int episodes = 5) => new(task, episodes, HeldOutSeed);

    public static bool IsSynthetic(string? uri) => uri is not null && uri.TrimStart().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a <c>synth:</c> URI; a malformed one fails with a message that shows the expected form.</summary>
    public static SyntheticDatasetUri Parse(string uri)
    {
        if (!IsSynthetic(uri))
            throw new DatasetException($"'{uri}' is not a synthetic dataset URI; expected {Usage}.");
        var body = uri.Trim()[Prefix.Length..];
        var queryStart = body.IndexOf('?');
        var name = Uri.UnescapeDataString(queryStart < 0 ? body : body[..queryStart]).Trim().TrimStart('/');
        if (name.Length == 0)
            throw new DatasetException($"'{uri}' names no task; expected {Usage}. Known tasks: {string.Join(", ", SimTaskCatalog.Names)}.");
        if (!SimTaskCatalog.TryGet(name, out var task))
            throw new DatasetException($"'{uri}' names an unknown synthetic task '{name}'. Known tasks: {string.Join(", ", SimTaskCatalog.Names)}.");

        var episodes = DefaultEpisodes;
        var seed = DefaultSeed;
        var recovery = 0f;
        var query = queryStart < 0 ? "" : body[(queryStart + 1)..];
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var key = (equals < 0 ? pair : pair[..equals]).Trim().ToLowerInvariant();
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]).Trim();
            switch (key)
            {
                case "episodes":
                    episodes = ParseInt(uri, key, value, 1, MaxEpisodes);
                    break;
                case "seed":
                    seed = ParseInt(uri, key, value, int.MinValue, int.MaxValue);
                    break;
                case "recovery":
                    recovery = float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var degrees) && degrees >= 0 && degrees <= MaxRecoveryNoiseDegrees
                        ? degrees
                        : throw new DatasetException($"'{uri}': 'recovery' must be a number of degrees from 0 to {MaxRecoveryNoiseDegrees}, got '{value}'.");
                    break;
                default:
                    throw new DatasetException($"'{uri}' has an unknown parameter '{key}'; a synthetic dataset URI takes 'episodes', 'seed' and 'recovery' ({Usage}).");
            }
        }
        return new SyntheticDatasetUri(task, episodes, seed, recovery);
    }

    public static bool TryParse(string? uri, out SyntheticDatasetUri? parsed)
    {
        parsed = null;
        if (!IsSynthetic(uri)) return false;
        try
        {
            parsed = Parse(uri!);
            return true;
        }
        catch (DatasetException)
        {
            return false;
        }
    }

    /// <summary>The local path of this dataset, generating it into <paramref name="cacheDir"/> (default <see cref="SyntheticDatasets.DefaultCacheDir"/>) when missing.</summary>
    public string Resolve(string? cacheDir = null, SyntheticDatasetOptions? options = null) =>
        SyntheticDatasets.EnsureGenerated(Task, Episodes, Seed, cacheDir, WithRecovery(options));

    public Task<string> ResolveAsync(string? cacheDir = null, SyntheticDatasetOptions? options = null, CancellationToken cancellationToken = default) =>
        SyntheticDatasets.EnsureGeneratedAsync(Task, Episodes, Seed, cacheDir, WithRecovery(options), cancellationToken);

    private SyntheticDatasetOptions WithRecovery(SyntheticDatasetOptions? options) =>
        (options ?? SyntheticDatasetOptions.Default) with { RecoveryNoiseDegrees = RecoveryNoiseDegrees };

    public override string ToString() =>
        $"{Prefix}{Task.Name}?episodes={Episodes}&seed={Seed}" +
        (RecoveryNoiseDegrees > 0 ? $"&recovery={RecoveryNoiseDegrees.ToString(CultureInfo.InvariantCulture)}" : "");

    private const string Usage = "synth:<task>[?episodes=N&seed=S&recovery=D]";

    private static int ParseInt(string uri, string key, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new DatasetException($"'{uri}': '{key}' must be a whole number{(min > int.MinValue ? $" from {min} to {max}" : "")}, got '{value}'.");
}
