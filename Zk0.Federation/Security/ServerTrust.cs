using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Zk0.Federation.Security;

/// <summary>
/// How a node or the CLI trusts the gateway: with a CA file (a private federation's <c>zk0 server cert</c> CA) the
/// server's chain must end at that CA and its name must match; without one the system's trusted roots decide.
/// </summary>
public static class ServerTrust
{
    /// <summary>A handler for gRPC channels to the gateway; <paramref name="caFile"/> null means the system roots.</summary>
    public static SocketsHttpHandler CreateHandler(string? caFile)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        };
        if (caFile is null) return handler;
        var ca = LoadCa(caFile);
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, ca),
        };
        return handler;
    }

    /// <summary>The CA certificate in <paramref name="caFile"/> (PEM or DER); a clear <see cref="ServerTrustException"/> otherwise.</summary>
    public static X509Certificate2 LoadCa(string caFile)
    {
        if (!File.Exists(caFile))
            throw new ServerTrustException($"CA file {caFile} not found. Pass the ca.crt that `zk0 server cert` wrote on the federation's side (--ca FILE).");
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(caFile);
        }
        catch (CryptographicException ex)
        {
            throw new ServerTrustException($"CA file {caFile} is not a certificate ({ex.Message}). Pass the ca.crt that `zk0 server cert` wrote.");
        }
    }

    private static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }
}

public sealed class ServerTrustException(string message) : Exception(message);
