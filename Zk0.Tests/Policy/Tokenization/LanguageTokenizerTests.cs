using TorchSharp;
using Zk0.Policy.Tokenization;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Tokenization;

public class LanguageTokenizerTests
{
    [Theory]
    [InlineData("pick", "pick\n")]
    [InlineData("", "\n")]
    [InlineData("pick\n", "pick\n")]
    [InlineData("pick\r\n", "pick\r\n")]
    public void ANewlineIsAppendedOnlyWhenTheTaskDoesNotEndWithOne(string task, string expected)
    {
        Assert.Equal(expected, LanguageTokenizer.WithTrailingNewline(task));
    }

    [Fact]
    public void LongestPaddingPadsABatchToItsLongestRowOnTheRight()
    {
        var tokenizer = new LanguageTokenizer(TokenizerFixtures.AsDeclared.Tokenizer, TokenizerFixtures.AsDeclared.Options with { Padding = LanguagePadding.Longest });

        var batch = tokenizer.Tokenize(["turn to the right side", ""]);

        Assert.Equal(6, batch.Length);
        Assert.Equal([198L, 2, 2, 2, 2, 2], batch.TokenIds[1]);
        Assert.Equal([true, false, false, false, false, false], batch.AttentionMask[1]);
        Assert.All(batch.AttentionMask[0], Assert.True);
    }

    [Fact]
    public void TheBatchBecomesInt64TokensAndABoolMask()
    {
        using var scope = torch.NewDisposeScope();
        var batch = TokenizerFixtures.AsDeclared.Tokenize(["Put the red LEGO in the bin", "turn to the right side"]);

        var (tokens, mask) = batch.ToTensors();

        Assert.Equal(ScalarType.Int64, tokens.dtype);
        Assert.Equal(ScalarType.Bool, mask.dtype);
        Assert.Equal(new long[] { 2, 48 }, tokens.shape);
        Assert.Equal(22030L, tokens[0, 0].item<long>());
        Assert.Equal(8L, mask[0].sum().item<long>());
    }

    [Fact]
    public void TheSmolVlaConfigChoosesMaxLengthAndPadding()
    {
        var config = new System.Text.Json.Nodes.JsonObject { ["tokenizer_max_length"] = 16, ["pad_language_to"] = "max_length" };

        var options = new LanguageTokenizerOptions().WithPolicyConfig(config);

        Assert.Equal(16, options.MaxLength);
        Assert.Equal(LanguagePadding.MaxLength, options.Padding);
        Assert.Throws<InvalidDataException>(() => new LanguageTokenizerOptions().WithPolicyConfig(new() { ["pad_language_to"] = "do_not_pad" }));
    }

    [Fact]
    public void AMissingTokenizerFileIsReportedByPath()
    {
        var directory = Directory.CreateTempSubdirectory("zk0-tok-").FullName;
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => LanguageTokenizer.FromDirectory(directory));
            Assert.Contains(Path.Combine(directory, "tokenizer.json"), error.Message);

            File.WriteAllText(Path.Combine(directory, "tokenizer.json"), "{\"model\": {\"type\": \"Unigram\"}}");
            var unsupported = Assert.Throws<NotSupportedException>(() => LanguageTokenizer.FromDirectory(directory));
            Assert.Contains("Unigram", unsupported.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
