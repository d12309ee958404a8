using System.Text.Json;

namespace Zk0.Policy.Tokenization;

/// <summary>The parts of a Hugging Face tokenizer.json a byte-level BPE needs, with checks that the file is one.</summary>
internal sealed record TokenizerJson(
    Dictionary<string, int> Vocabulary,
    List<(string Left, string Right)> Merges,
    List<AddedToken> AddedTokens,
    bool SplitsDigits)
{
    public static TokenizerJson Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Tokenizer file '{path}' does not exist; SmolVLA needs the SmolVLM2 tokenizer.json.", path);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Tokenizer file '{path}' is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            var model = Require(root, "model", JsonValueKind.Object, path);
            var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (type != "BPE")
            {
                throw new NotSupportedException($"Tokenizer file '{path}' has a '{type}' model; only byte-level BPE is supported.");
            }
            RejectUnsupported(model, path);
            var (byteLevel, digits) = ReadPreTokenizer(root.TryGetProperty("pre_tokenizer", out var pre) ? pre : default);
            if (!byteLevel)
            {
                throw new NotSupportedException($"Tokenizer file '{path}' has no ByteLevel pre-tokenizer; only byte-level BPE is supported.");
            }

            var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var entry in Require(model, "vocab", JsonValueKind.Object, path).EnumerateObject())
            {
                vocabulary[entry.Name] = entry.Value.GetInt32();
            }
            var merges = Require(model, "merges", JsonValueKind.Array, path).EnumerateArray().Select(m => ReadMerge(m, path)).ToList();
            var added = root.TryGetProperty("added_tokens", out var addedElement) && addedElement.ValueKind == JsonValueKind.Array
                ? addedElement.EnumerateArray().Select(a => new AddedToken(
                    a.GetProperty("id").GetInt32(),
                    a.GetProperty("content").GetString()!,
                    a.TryGetProperty("special", out var special) && special.GetBoolean())).ToList()
                : [];
            return new TokenizerJson(vocabulary, merges, added, digits);
        }
    }

    private static void RejectUnsupported(JsonElement model, string path)
    {
        foreach (var field in new[] { "continuing_subword_prefix", "end_of_word_suffix", "dropout" })
        {
            if (model.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                throw new NotSupportedException($"Tokenizer file '{path}' sets model.{field}, which this byte-level BPE does not implement.");
            }
        }
    }

    /// <summary>(has ByteLevel, has Digits with individual_digits) in a single or Sequence pre-tokenizer.</summary>
    private static (bool ByteLevel, bool Digits) ReadPreTokenizer(JsonElement pre)
    {
        if (pre.ValueKind != JsonValueKind.Object)
        {
            return (false, false);
        }
        var type = pre.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type == "Sequence" && pre.TryGetProperty("pretokenizers", out var list))
        {
            var parts = list.EnumerateArray().Select(ReadPreTokenizer).ToArray();
            return (parts.Any(p => p.ByteLevel), parts.Any(p => p.Digits));
        }
        return (type == "ByteLevel",
            type == "Digits" && pre.TryGetProperty("individual_digits", out var individual) && individual.GetBoolean());
    }

    private static (string, string) ReadMerge(JsonElement merge, string path)
    {
        if (merge.ValueKind == JsonValueKind.String)
        {
            var parts = merge.GetString()!.Split(' ');
            if (parts.Length == 2)
            {
                return (parts[0], parts[1]);
            }
        }
        else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2)
        {
            return (merge[0].GetString()!, merge[1].GetString()!);
        }
        throw new InvalidDataException($"Tokenizer file '{path}' has a malformed merge {merge.GetRawText()}.");
    }

    private static JsonElement Require(JsonElement parent, string name, JsonValueKind kind, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != kind)
        {
            throw new InvalidDataException($"Tokenizer file '{path}' has no '{name}' {kind.ToString().ToLowerInvariant()}.");
        }
        return value;
    }
}
