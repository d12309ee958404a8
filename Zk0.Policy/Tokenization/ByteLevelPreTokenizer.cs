using System.Globalization;
using System.Text;

namespace Zk0.Policy.Tokenization;

/// <summary>
/// Splits text into the words BPE works on, as tokenizer.json's pre-tokenizer does:
/// optionally Digits(individual_digits) first (every numeric character alone), then the GPT-2 pattern
/// <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>.
/// Written by hand over Unicode scalar values: .NET's regex classes see UTF-16 code units and would
/// misclassify letters and digits outside the BMP.
/// </summary>
public sealed class ByteLevelPreTokenizer(bool splitDigits)
{
    public bool SplitDigits { get; } = splitDigits;

    public IEnumerable<string> Split(string text)
    {
        var runes = text.EnumerateRunes().ToArray();
        if (!SplitDigits)
        {
            return SplitPattern(runes, 0, runes.Length);
        }
        var pieces = new List<string>();
        var start = 0;
        for (var i = 0; i < runes.Length; i++)
        {
            if (!Rune.IsNumber(runes[i]))
            {
                continue;
            }
            pieces.AddRange(SplitPattern(runes, start, i));
            pieces.AddRange(SplitPattern(runes, i, i + 1));
            start = i + 1;
        }
        pieces.AddRange(SplitPattern(runes, start, runes.Length));
        return pieces;
    }

    private static List<string> SplitPattern(Rune[] runes, int start, int end)
    {
        var pieces = new List<string>();
        var i = start;
        while (i < end)
        {
            var length = MatchAt(runes, i, end);
            pieces.Add(Concat(runes, i, length));
            i += length;
        }
        return pieces;
    }

    /// <summary>Length in runes of the pattern's leftmost-first match at <paramref name="i"/> (every rune starts a match).</summary>
    private static int MatchAt(Rune[] runes, int i, int end)
    {
        var contraction = ContractionLength(runes, i, end);
        if (contraction > 0)
        {
            return contraction;
        }

        // ' ?\p{L}+', ' ?\p{N}+', ' ?[^\s\p{L}\p{N}]+': an optional ASCII space, then a run of one class.
        var head = runes[i].Value == ' ' && i + 1 < end && Classify(runes[i + 1]) != CharKind.Space ? i + 1 : i;
        var kind = Classify(runes[head]);
        if (kind != CharKind.Space)
        {
            var j = head + 1;
            while (j < end && Classify(runes[j]) == kind)
            {
                j++;
            }
            return j - i;
        }

        // Whitespace: \s+(?!\S) keeps the last space for the next word unless the run ends the text.
        var k = i;
        while (k < end && Rune.IsWhiteSpace(runes[k]))
        {
            k++;
        }
        var run = k - i;
        if (k == end || run == 1)
        {
            return run;
        }
        return run - 1;
    }

    private static int ContractionLength(Rune[] runes, int i, int end)
    {
        if (runes[i].Value != '\'' || i + 1 >= end)
        {
            return 0;
        }
        var second = runes[i + 1].Value;
        if (second is 's' or 't' or 'm' or 'd')
        {
            return 2;
        }
        if (i + 2 < end)
        {
            var third = runes[i + 2].Value;
            if (second == 'r' && third == 'e' || second == 'v' && third == 'e' || second == 'l' && third == 'l')
            {
                return 3;
            }
        }
        return 0;
    }

    private enum CharKind { Letter, Number, Space, Other }

    private static CharKind Classify(Rune rune)
    {
        if (Rune.IsWhiteSpace(rune))
        {
            return CharKind.Space;
        }
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharKind.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharKind.Number,
            _ => CharKind.Other,
        };
    }

    private static string Concat(Rune[] runes, int start, int length)
    {
        var builder = new StringBuilder(length * 2);
        for (var i = start; i < start + length; i++)
        {
            builder.Append(runes[i].ToString());
        }
        return builder.ToString();
    }
}
