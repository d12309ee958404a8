namespace Zk0.Federation.Security;

/// <summary>Plain h2c is for loopback development only: a warning on this machine, a refusal elsewhere unless allowed.</summary>
public static class PlaintextPolicy
{
    /// <summary>Null for https; a warning for plain http to a loopback address; throws for plain http elsewhere unless <paramref name="allowInsecure"/>.</summary>
    public static string? Check(Uri server, bool allowInsecure)
    {
        if (server.Scheme == Uri.UriSchemeHttps) return null;
        if (server.IsLoopback) return $"talking to {server} without TLS (plain h2c): fine on this machine for development only.";
        if (allowInsecure) return $"talking to {server} without TLS (plain h2c): anyone on the network can read and change this traffic.";
        throw new ServerTrustException($"{server} is plain http on another machine; a federation is reached over https. " +
                                       "Ask its admin for the https address and the CA file (--ca), or allow plaintext explicitly if you must.");
    }
}
