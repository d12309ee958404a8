using System.Text.Json;
using TorchSharp;
using Zk0.Federation.Safetensors;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Checkpoints;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Preprocessing;

/// <summary>
/// LeRobot's MEAN_STD normalization: <c>(x − mean) / (std + 1e-8)</c> before the policy and
/// <c>x · std + mean</c> after it, per feature, with statistics from the dataset.
/// </summary>
public sealed class MeanStdNormalizer : IDisposable
{
    public const double Epsilon = 1e-8;
    private static readonly Scalar EpsilonScalar = Epsilon.ToScalar();

    private readonly Dictionary<string, (Tensor Mean, Tensor Std)> _stats;

    public string Source { get; }
    public IReadOnlyCollection<string> Features => _stats.Keys;

    /// <summary>Takes ownership of the given tensors (float32 vectors, one entry per feature dimension).</summary>
    public MeanStdNormalizer(IReadOnlyDictionary<string, (Tensor Mean, Tensor Std)> stats, string source = "in-memory statistics")
    {
        ArgumentNullException.ThrowIfNull(stats);
        Source = source;
        _stats = new Dictionary<string, (Tensor, Tensor)>(StringComparer.Ordinal);
        foreach (var (feature, (mean, std)) in stats)
        {
            if (!mean.shape.SequenceEqual(std.shape))
            {
                throw new ArgumentException($"{source}: '{feature}' has mean [{string.Join(", ", mean.shape)}] but std [{string.Join(", ", std.shape)}].");
            }
            _stats[feature] = (mean, std);
        }
    }

    /// <summary>Reads <c>mean</c>/<c>std</c> of <paramref name="features"/> from a LeRobot dataset's <c>meta/stats.json</c>.</summary>
    public static MeanStdNormalizer FromStatsJson(string path, IEnumerable<string> features, Device? device = null)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Dataset statistics '{fullPath}' do not exist; MEAN_STD normalization needs the dataset's meta/stats.json.", fullPath);
        }
        using var document = ParseJson(fullPath);
        var stats = new Dictionary<string, (Tensor, Tensor)>(StringComparer.Ordinal);
        foreach (var feature in features)
        {
            if (!document.RootElement.TryGetProperty(feature, out var entry))
            {
                throw new KeyNotFoundException($"{fullPath}: no statistics for feature '{feature}'.");
            }
            stats[feature] = (ReadVector(entry, "mean", feature, fullPath, device), ReadVector(entry, "std", feature, fullPath, device));
        }
        return new MeanStdNormalizer(stats, fullPath);
    }

    /// <summary>
    /// Reads <c>&lt;feature&gt;.mean</c>/<c>&lt;feature&gt;.std</c> from a LeRobot processor state file
    /// (<c>policy_preprocessor_step_*_normalizer_processor.safetensors</c>).
    /// </summary>
    public static MeanStdNormalizer FromSafetensors(string path, IEnumerable<string> features, Device? device = null)
    {
        using var file = SafetensorsFile.Open(path);
        var stats = new Dictionary<string, (Tensor, Tensor)>(StringComparer.Ordinal);
        foreach (var feature in features)
        {
            using var mean = LoadStat(file, $"{feature}.mean");
            using var std = LoadStat(file, $"{feature}.std");
            stats[feature] = (mean.to(ScalarType.Float32, device ?? torch.CPU), std.to(ScalarType.Float32, device ?? torch.CPU));
        }
        return new MeanStdNormalizer(stats, file.Path);
    }

    public Tensor Normalize(string feature, Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var (mean, std) = StatsFor(feature, x);
        return ((x - mean) / std.add(EpsilonScalar, KeptScalars.IntOne)).MoveToOuterDisposeScope();
    }

    public Tensor Unnormalize(string feature, Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var (mean, std) = StatsFor(feature, x);
        return (x * std).add(mean, KeptScalars.IntOne).MoveToOuterDisposeScope();
    }

    private (Tensor Mean, Tensor Std) StatsFor(string feature, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!_stats.TryGetValue(feature, out var stats))
        {
            throw new KeyNotFoundException($"{Source}: no MEAN_STD statistics for feature '{feature}' (have: {string.Join(", ", _stats.Keys)}).");
        }
        var statShape = stats.Mean.shape;
        if (x.ndim < statShape.Length || !x.shape[^statShape.Length..].SequenceEqual(statShape))
        {
            throw new ArgumentException(
                $"{Source}: '{feature}' statistics have shape [{string.Join(", ", statShape)}] but the tensor is [{string.Join(", ", x.shape)}]; the dataset and the policy disagree on this feature.");
        }
        return stats.Mean.device == x.device ? stats : (stats.Mean.to(x.device), stats.Std.to(x.device));
    }

    private static Tensor LoadStat(SafetensorsFile file, string key)
    {
        if (!file.TryGetInfo(key, out _))
        {
            throw new KeyNotFoundException($"{file.Path}: no normalization statistic '{key}'.");
        }
        return SafetensorsTorch.Load(file, key);
    }

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Dataset statistics '{path}' are not valid JSON: {e.Message}", e);
        }
    }

    private static Tensor ReadVector(JsonElement entry, string field, string feature, string path, Device? device)
    {
        if (!entry.TryGetProperty(field, out var values) || values.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path}: feature '{feature}' has no '{field}' array.");
        }
        try
        {
            var data = values.EnumerateArray().Select(v => v.GetSingle()).ToArray();
            return torch.tensor(data, ScalarType.Float32, device);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: feature '{feature}' has a '{field}' that is not a flat list of numbers.", e);
        }
    }

    public void Dispose()
    {
        foreach (var (mean, std) in _stats.Values)
        {
            mean.Dispose();
            std.Dispose();
        }
        _stats.Clear();
    }
}
