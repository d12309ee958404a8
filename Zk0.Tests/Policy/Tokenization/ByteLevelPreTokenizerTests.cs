using Zk0.Policy.Tokenization;

namespace Zk0.Tests.Policy.Tokenization;

/// <summary>The GPT-2 split pattern and the Digits step, evaluated over Unicode scalar values.</summary>
public class ByteLevelPreTokenizerTests
{
    [Theory]
    [InlineData("a  b", new[] { "a", " ", " b" })]
    [InlineData("a  ", new[] { "a", "  " })]
    [InlineData("pick\tup", new[] { "pick", "\t", "up" })]
    [InlineData("don't we'll", new[] { "don", "'t", " we", "'ll" })]
    [InlineData("DON'T", new[] { "DON", "'", "T" })]
    [InlineData("x=-0.25!!", new[] { "x", "=-", "0", ".", "2", "5", "!!" })]
    public void TextSplitsLikeTheGpt2PatternWithIndividualDigits(string text, string[] expected)
    {
        Assert.Equal(expected, new ByteLevelPreTokenizer(splitDigits: true).Split(text));
    }

    [Fact]
    public void LettersOutsideTheBasicPlaneCountAsLettersAndJoinTheSpaceBeforeThem()
    {
        // .NET's regex classes see the two UTF-16 halves of 𝐀 (U+1D400, Lu) as non-letters; the reference does not.
        Assert.Equal(["x", " 𝐀bc"], new ByteLevelPreTokenizer(splitDigits: true).Split("x 𝐀bc"));
    }

    [Fact]
    public void NumbersOutsideTheBasicPlaneAreIsolatedByTheDigitsStep()
    {
        Assert.Equal(["a", " ", "𝟙", " b"], new ByteLevelPreTokenizer(splitDigits: true).Split("a 𝟙 b"));
    }

    [Fact]
    public void WithoutTheDigitsStepASpaceJoinsTheNumberAfterIt()
    {
        Assert.Equal(["a", " ²½"], new ByteLevelPreTokenizer(splitDigits: false).Split("a ²½"));
        Assert.Equal(["a", " ", "²", "½"], new ByteLevelPreTokenizer(splitDigits: true).Split("a ²½"));
    }
}
