namespace Zk0.Policy.Tokenization;

/// <summary>Finds added tokens in raw text, leftmost first and longest at a position, like the reference tokenizer.</summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
    }

    /// <summary>The text cut into plain stretches (Token null) and added tokens, in order.</summary>
    public IEnumerable<(string Text, AddedToken? Token)> Split(string text)
    {
        var plainStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var match = MatchAt(text, i);
            if (match is null)
            {
                i++;
                continue;
            }
            if (i > plainStart)
            {
                yield return (text[plainStart..i], null);
            }
            yield return (match.Content, match);
            i += match.Content.Length;
            plainStart = i;
        }
        if (plainStart < text.Length)
        {
            yield return (text[plainStart..], null);
        }
    }

    private AddedToken? MatchAt(string text, int position)
    {
        if (!_byFirstChar.TryGetValue(text[position], out var candidates))
        {
            return null;
        }
        foreach (var candidate in candidates)
        {
            if (position + candidate.Content.Length <= text.Length
                && string.CompareOrdinal(text, position, candidate.Content, 0, candidate.Content.Length) == 0)
            {
                return candidate;
            }
        }
        return null;
    }
}
