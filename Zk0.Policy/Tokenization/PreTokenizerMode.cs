namespace Zk0.Policy.Tokenization;

public enum PreTokenizerMode
{
    /// <summary>The pipeline tokenizer.json declares (for SmolVLM2: Digits(individual) then ByteLevel).</summary>
    AsDeclared,

    /// <summary>
    /// Plain ByteLevel without the Digits step: what transformers 5's GPT2Tokenizer does with the same file.
    /// Differs from <see cref="AsDeclared"/> only when a space precedes a non-ASCII numeric character.
    /// </summary>
    Transformers5
}
