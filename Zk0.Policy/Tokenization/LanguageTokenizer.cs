using System.Text.Json;
using System.Text.Json.Nodes;

namespace Zk0.Policy.Tokenization;

/// <summary>
/// LeRobot's language step for SmolVLA: <c>task + "\n"</c> (unless it already ends with one), tokenize,
/// truncate to the maximum length, pad on the right with the pad id, and mark real tokens in the mask.
/// </summary>
public sealed class LanguageTokenizer(ByteLevelBpeTokenizer tokenizer, LanguageTokenizerOptions options)
{
    public const string TokenizerFileName = "tokenizer.json";
    public const string TokenizerConfigFileName = "tokenizer_config.json";

    public ByteLevelBpeTokenizer Tokenizer { get; } = tokenizer;
    public LanguageTokenizerOptions Options { get; } = options;

    /// <summary>
    /// Loads <c>tokenizer.json</c> from <paramref name="directory"/>; pad token and truncation side come from
    /// <c>tokenizer_config.json</c> there when present, otherwise from <paramref name="options"/>.
    /// </summary>
    public static LanguageTokenizer FromDirectory(string directory, LanguageTokenizerOptions? options = null, PreTokenizerMode mode = PreTokenizerMode.AsDeclared)
    {
        var tokenizer = ByteLevelBpeTokenizer.Load(Path.Combine(directory, TokenizerFileName), mode);
        options ??= new LanguageTokenizerOptions();
        var configPath = Path.Combine(directory, TokenizerConfigFileName);
        if (File.Exists(configPath))
        {
            options = ApplyTokenizerConfig(options, tokenizer, configPath);
        }
        return new LanguageTokenizer(tokenizer, options);
    }

    private static LanguageTokenizerOptions ApplyTokenizerConfig(LanguageTokenizerOptions options, ByteLevelBpeTokenizer tokenizer, string path)
    {
        JsonNode? config;
        try
        {
            config = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Tokenizer config '{path}' is not valid JSON: {e.Message}", e);
        }
        if (config?["pad_token"] is JsonValue padToken && padToken.TryGetValue<string>(out var pad))
        {
            options = options with { PadTokenId = tokenizer.TokenId(pad) };
        }
        options = config?["truncation_side"]?.GetValue<string>() switch
        {
            null => options,
            "left" => options with { TruncationSide = TruncationSide.Left },
            "right" => options with { TruncationSide = TruncationSide.Right },
            var other => throw new InvalidDataException($"Tokenizer config '{path}' has truncation_side '{other}'; expected \"left\" or \"right\"."),
        };
        return options;
    }

    /// <summary>LeRobot's NewLineTaskProcessorStep.</summary>
    public static string WithTrailingNewline(string task) => task.EndsWith('\n') ? task : task + "\n";

    public TokenizedLanguage Tokenize(IReadOnlyList<string> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var rows = tasks.Select(task => Truncate(Tokenizer.Encode(WithTrailingNewline(task ?? throw new ArgumentException("A task string is null.", nameof(tasks)))))).ToArray();
        var length = Options.Padding == LanguagePadding.MaxLength ? Options.MaxLength : rows.Select(r => r.Length).DefaultIfEmpty(0).Max();

        var ids = new long[rows.Length][];
        var mask = new bool[rows.Length][];
        for (var b = 0; b < rows.Length; b++)
        {
            ids[b] = new long[length];
            mask[b] = new bool[length];
            Array.Fill(ids[b], Options.PadTokenId);
            for (var i = 0; i < rows[b].Length; i++)
            {
                ids[b][i] = rows[b][i];
                mask[b][i] = true;
            }
        }
        return new TokenizedLanguage(ids, mask);
    }

    public TokenizedLanguage Tokenize(string task) => Tokenize([task]);

    private int[] Truncate(int[] ids)
    {
        if (ids.Length <= Options.MaxLength)
        {
            return ids;
        }
        return Options.TruncationSide == TruncationSide.Left ? ids[^Options.MaxLength..] : ids[..Options.MaxLength];
    }
}
