using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;

namespace Zk0.Federation.Security;

/// <summary>
/// Turns the usual ways a connection to the gateway fails (nothing listening, unknown host, an untrusted or
/// misnamed certificate, plain h2c to a TLS port, TLS to a plain port) into one line naming the server and what to do.
/// </summary>
public static class ConnectionProblems
{
    /// <summary>One line for <paramref name="problem"/> (an <see cref="RpcException"/>, <see cref="HttpRequestException"/> or what they wrap).</summary>
    public static string Describe(Exception problem, Uri server)
    {
        var causes = Causes(problem).ToList();
        var address = $"{server.Scheme}://{server.Authority}";

        if (causes.OfType<ServerTrustException>().FirstOrDefault() is { } trust)
            return $"{address} is not trusted: {trust.Message}";
        if (causes.OfType<InsecureTransportException>().FirstOrDefault() is { } insecure)
            return insecure.Message;
        if (causes.OfType<SocketException>().FirstOrDefault() is { } socket)
        {
            switch (socket.SocketErrorCode)
            {
                case SocketError.ConnectionRefused:
                    return $"Nothing answers at {address} (connection refused): check that the gateway runs and that this is its gRPC address and port.";
                case SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain:
                    return $"The host '{server.Host}' in {address} is not known: check the name, or use the gateway's IP address.";
                case SocketError.TimedOut or SocketError.HostUnreachable or SocketError.NetworkUnreachable:
                    return $"{address} cannot be reached ({socket.Message}): check the address and that a firewall lets the port through.";
            }
        }

        var http = causes.OfType<HttpRequestException>().FirstOrDefault();
        if (server.Scheme == Uri.UriSchemeHttps && (http?.HttpRequestError == HttpRequestError.SecureConnectionError || causes.OfType<AuthenticationException>().Any()))
            return $"{address} did not complete a TLS handshake: it probably serves plain h2c (loopback development only). " +
                   $"Use http://{server.Authority} if it is on this machine, or ask its admin to enable TLS (zk0 server cert).";
        // A TLS port answers an h2c preface by closing or resetting the connection, depending on timing.
        var closedAfterConnecting = http is not null && http.HttpRequestError is not (HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.ProxyTunnelError)
                                    || causes.OfType<SocketException>().Any(s => s.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted);
        if (server.Scheme == Uri.UriSchemeHttp && closedAfterConnecting)
            return $"{address} closed the connection on plain h2c: the gateway probably serves TLS. " +
                   $"Use https://{server.Authority} with the federation's CA (--ca FILE, the ca.crt from zk0 server cert).";

        var innermost = causes[^1];
        return $"{address} could not be reached: {innermost.Message}";
    }

    /// <summary>The exception, what it wraps (an RpcException's debug exception included), outermost first.</summary>
    private static IEnumerable<Exception> Causes(Exception problem)
    {
        for (var current = problem; current is not null;)
        {
            yield return current;
            current = current is RpcException { Status.DebugException: { } debug } ? debug : current.InnerException;
        }
    }
}
