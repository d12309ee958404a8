namespace Zk0.Datasets.Loading;

/// <summary>A deterministic train / held-out split of episode indices: the same seed gives the same split on every machine.</summary>
public sealed record EpisodeSplit(IReadOnlyList<int> Train, IReadOnlyList<int> HeldOut)
{
    public static EpisodeSplit Create(IEnumerable<int> episodeIndices, double heldOutFraction, int seed)
    {
        if (heldOutFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(heldOutFraction), heldOutFraction, "Held-out fraction must be in [0, 1).");
        var episodes = episodeIndices.Distinct().ToList();
        var heldOutCount = heldOutFraction == 0 || episodes.Count < 2 ? 0 : Math.Max(1, (int)Math.Round(episodes.Count * heldOutFraction));
        var ranked = episodes.OrderBy(e => StableHash.Mix((ulong)(uint)seed, (ulong)(uint)e)).ThenBy(e => e).ToList();
        return new EpisodeSplit(ranked.Skip(heldOutCount).Order().ToList(), ranked.Take(heldOutCount).Order().ToList());
    }
}

/// <summary>SplitMix64: a hash that is identical across runtimes (string.GetHashCode is randomized per process).</summary>
internal static class StableHash
{
    public static ulong Mix(ulong a, ulong b)
    {
        var z = a * 0x9E3779B97F4A7C15UL + b + 0x632BE59BD9B4E019UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static int Seed(int seed, int epoch) => (int)(Mix((ulong)(uint)seed, (ulong)(uint)epoch) & 0x7FFFFFFF);
}
