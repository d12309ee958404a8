using System.Text.Json;
using Zk0.Policy.Tokenization;
using Zk0.Tests.Federation.Safetensors;

namespace Zk0.Tests.Policy.Tokenization;

/// <summary>The shared tokenizer fixture (golden.json, crosscheck-real-file.json) and tokenizers built from it once.</summary>
internal static class TokenizerFixtures
{
    private static readonly Lazy<JsonDocument> GoldenDocument = new(() => JsonDocument.Parse(File.ReadAllBytes(SharedFixtures.Tokenizer("golden.json"))));
    private static readonly Lazy<LanguageTokenizer> DeclaredPipeline = new(() => Load(PreTokenizerMode.AsDeclared));
    private static readonly Lazy<LanguageTokenizer> Transformers5Pipeline = new(() => Load(PreTokenizerMode.Transformers5));

    public static LanguageTokenizer AsDeclared => DeclaredPipeline.Value;
    public static LanguageTokenizer Transformers5 => Transformers5Pipeline.Value;

    public static JsonElement Golden => GoldenDocument.Value.RootElement;

    private static LanguageTokenizer Load(PreTokenizerMode mode) =>
        LanguageTokenizer.FromDirectory(SharedFixtures.TokenizerDirectory, new LanguageTokenizerOptions(Padding: LanguagePadding.MaxLength), mode);

    public static JsonElement Case(string name) =>
        Golden.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var entry in Golden.GetProperty("cases").EnumerateArray())
        {
            data.Add(entry.GetProperty("name").GetString()!);
        }
        return data;
    }

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
