using System.Collections.Concurrent;

namespace Zk0.Policy.Tokenization;

/// <summary>
/// Byte-pair encoding of one pre-tokenized word: start from its byte-level characters and repeatedly
/// merge the adjacent pair with the lowest merge rank (leftmost first) until no ranked pair is left.
/// </summary>
internal sealed class BytePairMerger
{
    private const int MaxCachedWords = 50_000;

    /// <summary>
    /// SmolLM2's vocabulary lacks 21 byte symbols (bytes never valid in UTF-8 and a few control characters).
    /// With no unknown token the reference BPE drops such bytes, and so does this one.
    /// </summary>
    private const int MissingByte = -1;

    private readonly int[] _byteIds = new int[256];
    private readonly Dictionary<(int Left, int Right), (int Rank, int Merged)> _merges;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    public BytePairMerger(IReadOnlyDictionary<string, int> vocabulary, IReadOnlyList<(string Left, string Right)> merges, string source)
    {
        for (var b = 0; b < 256; b++)
        {
            var symbol = ByteLevelAlphabet.Encode((byte)b).ToString();
            _byteIds[b] = vocabulary.TryGetValue(symbol, out var id) ? id : MissingByte;
        }

        _merges = new Dictionary<(int, int), (int, int)>(merges.Count);
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            if (!vocabulary.TryGetValue(left, out var leftId) || !vocabulary.TryGetValue(right, out var rightId)
                || !vocabulary.TryGetValue(left + right, out var mergedId))
            {
                throw new InvalidDataException($"{source}: merge {rank} ('{left}' '{right}') uses a token that is not in the vocabulary.");
            }
            _merges.TryAdd((leftId, rightId), (rank, mergedId));
        }
    }

    public int[] Encode(ReadOnlySpan<byte> word)
    {
        var key = ByteLevelAlphabet.Encode(word);
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var symbols = new List<int>(word.Length);
        foreach (var b in word)
        {
            if (_byteIds[b] != MissingByte)
            {
                symbols.Add(_byteIds[b]);
            }
        }
        MergeAll(symbols);

        var result = symbols.ToArray();
        if (_cache.Count >= MaxCachedWords)
        {
            _cache.Clear();
        }
        _cache[key] = result;
        return result;
    }

    private void MergeAll(List<int> symbols)
    {
        while (symbols.Count > 1)
        {
            var bestRank = int.MaxValue;
            var best = (Left: 0, Right: 0);
            var merged = 0;
            for (var i = 0; i + 1 < symbols.Count; i++)
            {
                if (_merges.TryGetValue((symbols[i], symbols[i + 1]), out var merge) && merge.Rank < bestRank)
                {
                    bestRank = merge.Rank;
                    best = (symbols[i], symbols[i + 1]);
                    merged = merge.Merged;
                }
            }
            if (bestRank == int.MaxValue)
            {
                return;
            }

            var write = 0;
            for (var read = 0; read < symbols.Count; write++)
            {
                if (read + 1 < symbols.Count && symbols[read] == best.Left && symbols[read + 1] == best.Right)
                {
                    symbols[write] = merged;
                    read += 2;
                }
                else
                {
                    symbols[write] = symbols[read];
                    read++;
                }
            }
            symbols.RemoveRange(write, symbols.Count - write);
        }
    }
}
