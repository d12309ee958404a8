namespace Zk0.Federation.Security;

/// <summary>Signs every call made through it with the node's key (see <see cref="FleetRequestSignature"/>).</summary>
public sealed class FleetSigningInterceptor(NodeKeyPair key, TimeProvider? time = null) : HeaderAddingInterceptor
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    protected override IEnumerable<KeyValuePair<string, string>> HeadersFor(string method) => FleetRequestSignature.Sign(key, method, _time.GetUtcNow());
}
