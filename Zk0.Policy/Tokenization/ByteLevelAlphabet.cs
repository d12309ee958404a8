namespace Zk0.Policy.Tokenization;

/// <summary>
/// GPT-2's reversible byte ↔ printable-character map: printable Latin-1 bytes map to themselves, the
/// other 68 bytes to U+0100 onwards in byte order (space → 'Ġ', newline → 'Ċ').
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildByteToChar();
    private static readonly Dictionary<char, byte> CharToByte = ByteToChar.Select((c, b) => (c, b)).ToDictionary(p => p.c, p => (byte)p.b);

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }

    public static char Encode(byte value) => ByteToChar[value];

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        return string.Create(bytes.Length, bytes.ToArray(), static (chars, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                chars[i] = ByteToChar[source[i]];
            }
        });
    }

    /// <summary>Appends the bytes a byte-level token string stands for; false if it holds a character outside the alphabet.</summary>
    public static bool TryDecode(string token, List<byte> bytes)
    {
        foreach (var c in token)
        {
            if (!CharToByte.TryGetValue(c, out var b))
            {
                return false;
            }
            bytes.Add(b);
        }
        return true;
    }
}
