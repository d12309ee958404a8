using System.Text;
using System.Text.Json;

namespace Zk0.Policy.Tokenization;

/// <summary>
/// A GPT-2-style byte-level BPE tokenizer loaded from a Hugging Face <c>tokenizer.json</c>
/// (SmolVLM2 / SmolLM2): added tokens first, then pre-tokenization, byte-level mapping and BPE merges.
/// No BOS/EOS is added (the file has no post-processor).
/// </summary>
public sealed class ByteLevelBpeTokenizer
{
    private readonly BytePairMerger _merger;
    private readonly AddedTokenMatcher _addedTokens;
    private readonly ByteLevelPreTokenizer _preTokenizer;
    private readonly Dictionary<string, int> _idsByToken;
    private readonly Dictionary<int, string> _tokensById;
    private readonly Dictionary<int, AddedToken> _addedById;

    public string SourcePath { get; }
    public int VocabularySize { get; }
    public IReadOnlyCollection<AddedToken> AddedTokens => _addedById.Values;
    public PreTokenizerMode PreTokenizerMode { get; }

    private ByteLevelBpeTokenizer(string sourcePath, TokenizerJson json, PreTokenizerMode mode)
    {
        SourcePath = sourcePath;
        PreTokenizerMode = mode;
        _merger = new BytePairMerger(json.Vocabulary, json.Merges, sourcePath);
        _addedTokens = new AddedTokenMatcher(json.AddedTokens);
        _preTokenizer = new ByteLevelPreTokenizer(splitDigits: mode == PreTokenizerMode.AsDeclared && json.SplitsDigits);
        _idsByToken = new Dictionary<string, int>(json.Vocabulary, StringComparer.Ordinal);
        _addedById = json.AddedTokens.ToDictionary(t => t.Id);
        foreach (var added in json.AddedTokens)
        {
            _idsByToken[added.Content] = added.Id;
        }
        _tokensById = _idsByToken.GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.First().Key);
        VocabularySize = _tokensById.Count == 0 ? 0 : _tokensById.Keys.Max() + 1;
    }

    public static ByteLevelBpeTokenizer Load(string tokenizerJsonPath, PreTokenizerMode mode = PreTokenizerMode.AsDeclared)
    {
        var fullPath = Path.GetFullPath(tokenizerJsonPath);
        return new ByteLevelBpeTokenizer(fullPath, TokenizerJson.Read(fullPath), mode);
    }

    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 1);
        foreach (var (segment, added) in _addedTokens.Split(text))
        {
            if (added is not null)
            {
                ids.Add(added.Id);
                continue;
            }
            foreach (var word in _preTokenizer.Split(segment))
            {
                ids.AddRange(_merger.Encode(Encoding.UTF8.GetBytes(word)));
            }
        }
        return ids.ToArray();
    }

    /// <summary>The vocabulary string of each id (byte-level characters, e.g. "Ġcube").</summary>
    public string[] TokenStrings(IEnumerable<int> ids) => ids.Select(TokenString).ToArray();

    public string TokenString(int id) =>
        _tokensById.TryGetValue(id, out var token) ? token : throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is not in the vocabulary of '{SourcePath}'.");

    public int TokenId(string token) =>
        _idsByToken.TryGetValue(token, out var id) ? id : throw new KeyNotFoundException($"Token '{token}' is not in the vocabulary of '{SourcePath}'.");

    public bool IsSpecial(int id) => _addedById.TryGetValue(id, out var added) && added.Special;

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        var text = new StringBuilder();
        var pending = new List<byte>();
        foreach (var id in ids)
        {
            if (_addedById.TryGetValue(id, out var added))
            {
                if (added.Special && skipSpecialTokens)
                {
                    continue;
                }
                Flush();
                text.Append(added.Content);
                continue;
            }
            if (!ByteLevelAlphabet.TryDecode(TokenString(id), pending))
            {
                throw new InvalidDataException($"Token {id} ('{TokenString(id)}') of '{SourcePath}' is not a byte-level token.");
            }
        }
        Flush();
        return text.ToString();

        void Flush()
        {
            // Invalid UTF-8 becomes U+FFFD, as the reference decoder's lossy conversion does.
            text.Append(Encoding.UTF8.GetString(pending.ToArray()));
            pending.Clear();
        }
    }
}
