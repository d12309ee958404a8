using System.Text.Json;
using Zk0.Tests.Federation.Safetensors;

namespace Zk0.Tests.Policy.Tokenization;

/// <summary>crosscheck-real-file.json: ids a third party encoded with the genuine SmolVLM2 tokenizer.json.</summary>
public class CrossCheckTokenizationTests
{
    private static readonly Lazy<JsonElement[]> Entries = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(SharedFixtures.Tokenizer("crosscheck-real-file.json"))).RootElement.EnumerateArray().ToArray());

    public static TheoryData<int> Indices()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Entries.Value.Length; i++)
        {
            data.Add(i);
        }
        return data;
    }

    [Fact]
    public void TheCrossCheckHolds123Strings() => Assert.Equal(123, Entries.Value.Length);

    [Theory]
    [MemberData(nameof(Indices))]
    public void EachStringEncodesToTheGenuineFilesIds(int index)
    {
        var entry = Entries.Value[index];

        var ids = TokenizerFixtures.AsDeclared.Tokenizer.Encode(entry.GetProperty("text").GetString()!);

        Assert.Equal(TokenizerFixtures.Ints(entry.GetProperty("ids")), ids);
    }
}
