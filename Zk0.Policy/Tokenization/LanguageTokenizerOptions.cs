using System.Text.Json.Nodes;

namespace Zk0.Policy.Tokenization;

public enum LanguagePadding
{
    /// <summary>Pad a batch to its longest row (SmolVLAConfig's default, "longest").</summary>
    Longest,

    /// <summary>Pad every row to the maximum length ("max_length", as lerobot/smolvla_base sets it).</summary>
    MaxLength,
}

public enum TruncationSide
{
    /// <summary>Keep the last tokens (SmolVLM tokenizer_config's truncation_side, so the final "\n" survives).</summary>
    Left,
    Right,
}

/// <summary>How LeRobot's SmolVLA processor tokenizes the task: max length, padding mode, truncation side and pad id.</summary>
public sealed record LanguageTokenizerOptions(
    int MaxLength = 48,
    LanguagePadding Padding = LanguagePadding.Longest,
    TruncationSide TruncationSide = TruncationSide.Left,
    int PadTokenId = 2)
{
    /// <summary>Reads <c>tokenizer_max_length</c> and <c>pad_language_to</c> from a SmolVLA policy config.json.</summary>
    public LanguageTokenizerOptions WithPolicyConfig(JsonObject config)
    {
        var maxLength = config["tokenizer_max_length"]?.GetValue<int>() ?? MaxLength;
        if (maxLength <= 0)
        {
            throw new InvalidDataException($"tokenizer_max_length must be positive, found {maxLength}.");
        }
        var padding = config["pad_language_to"]?.GetValue<string>() switch
        {
            null => Padding,
            "longest" => LanguagePadding.Longest,
            "max_length" => LanguagePadding.MaxLength,
            var other => throw new InvalidDataException($"pad_language_to '{other}' is not supported (use \"longest\" or \"max_length\")."),
        };
        return this with { MaxLength = maxLength, Padding = padding };
    }
}
