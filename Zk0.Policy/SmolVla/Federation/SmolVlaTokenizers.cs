using System.Collections.Concurrent;
using Zk0.Policy.SmolVla.Configuration;
using Zk0.Policy.Tokenization;

namespace Zk0.Policy.SmolVla.Federation;

/// <summary>
/// The SmolVLM2 tokenizer for a SmolVLA policy: the checkpoint directory's own <c>tokenizer.json</c> when it has one,
/// otherwise the copy shipped next to the assemblies (<c>smolvla-tokenizer/</c>). Parsed once per directory.
/// </summary>
public static class SmolVlaTokenizers
{
    public const string ShippedFolder = "smolvla-tokenizer";

    private static readonly ConcurrentDictionary<string, Lazy<ByteLevelBpeTokenizer>> Loaded = new(StringComparer.Ordinal);

    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, ShippedFolder);

    public static LanguageTokenizer For(SmolVlaConfig config, string? checkpointDirectory)
    {
        var directory = checkpointDirectory is not null && File.Exists(Path.Combine(checkpointDirectory, LanguageTokenizer.TokenizerFileName))
            ? checkpointDirectory
            : ShippedDirectory;
        var path = Path.Combine(directory, LanguageTokenizer.TokenizerFileName);
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"The SmolVLM2 tokenizer '{path}' is missing. It ships with Zk0.Policy (SmolVla/Federation/Tokenizer); rebuild or reinstall, " +
                "or give a checkpoint directory with tokenizer.json through 'policy-path'.", path);
        var tokenizer = Loaded.GetOrAdd(Path.GetFullPath(path), p => new Lazy<ByteLevelBpeTokenizer>(() => ByteLevelBpeTokenizer.Load(p))).Value;
        var options = new LanguageTokenizerOptions(
            MaxLength: config.TokenizerMaxLength,
            Padding: config.PadLanguageTo == "max_length" ? LanguagePadding.MaxLength : LanguagePadding.Longest,
            TruncationSide: TruncationSide.Left,
            PadTokenId: tokenizer.TokenId("<|im_end|>"));
        return new LanguageTokenizer(tokenizer, options);
    }
}
