using System.Net;

namespace Zk0.Federation.Security;

/// <summary>
/// Plain h2c (gRPC without TLS) is for loopback development only: to a loopback address it is allowed with a warning,
/// to any other address it is refused unless the caller explicitly allows it (and then still warned about).
/// </summary>
public static class PlaintextPolicy
{
    /// <summary>
    /// Null for an https server; a warning to show for a plain-http one that is loopback or explicitly allowed;
    /// throws <see cref="InsecureTransportException"/> for a plain-http one on another machine.
    /// </summary>
    /// <param name="allowSetting">How the caller allows it, for the message (e.g. <c>--allow-insecure</c>).</param>
    /// <param name="caSetting">How the caller is given the federation's CA, for the message.</param>
    public static string? Check(Uri server, bool allowInsecure, string allowSetting = "--allow-insecure", string caSetting = "--ca FILE")
    {
        if (server.Scheme == Uri.UriSchemeHttps) return null;
        if (server.Scheme != Uri.UriSchemeHttp)
            throw new InsecureTransportException($"{server} is neither https:// nor http://; give the gateway's address as https://HOST:PORT.");
        if (IsLoopback(server))
            return $"{server} is plain h2c (no TLS): for loopback development only.";
        if (allowInsecure)
            return $"{server} is plain h2c (no TLS) to another machine, allowed by {allowSetting}: anyone on the path can read and change the traffic.";
        throw new InsecureTransportException(
            $"{server} is plain h2c (no TLS), which is for loopback development only. Use https://{server.Authority} with the federation's CA ({caSetting}), " +
            $"or pass {allowSetting} to send unencrypted traffic anyway.");
    }

    public static bool IsLoopback(Uri server) =>
        server.IsLoopback || (IPAddress.TryParse(server.IdnHost, out var ip) && IPAddress.IsLoopback(ip));
}

public sealed class InsecureTransportException(string message) : Exception(message);
