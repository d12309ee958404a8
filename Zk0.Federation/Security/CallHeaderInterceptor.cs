namespace Zk0.Federation.Security;

/// <summary>Adds one header to every call made through it (a credential such as the operator's or the Evaluator's token).</summary>
public sealed class CallHeaderInterceptor(string name, string value) : HeaderAddingInterceptor
{
    protected override IEnumerable<KeyValuePair<string, string>> HeadersFor(string method) => [new(name, value)];
}
