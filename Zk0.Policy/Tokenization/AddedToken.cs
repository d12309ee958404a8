namespace Zk0.Policy.Tokenization;

/// <summary>A token matched verbatim in the raw text before pre-tokenization (tokenizer.json's added_tokens).</summary>
public sealed record AddedToken(int Id, string Content, bool Special);
