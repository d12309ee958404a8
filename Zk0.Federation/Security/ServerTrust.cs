using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Zk0.Federation.Security;

/// <summary>
/// How a node or the CLI trusts the gateway: with a CA file (a private federation's <c>zk0 server cert</c> CA) the
/// server's chain must end at that CA and its name must match; without one the system's trusted roots decide.
/// A refused certificate fails the connection with a <see cref="ServerTrustException"/> (inside the
/// <see cref="HttpRequestException"/>) that says why and what to do; <see cref="ConnectionProblems"/> finds it.
/// </summary>
public static class ServerTrust
{
    /// <summary>A handler for gRPC channels to the gateway; <paramref name="caFile"/> null means the system roots.</summary>
    public static SocketsHttpHandler CreateHandler(string? caFile)
    {
        var ca = caFile is null ? null : LoadCa(caFile);
        return new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (sender, certificate, _, errors) =>
                    Validate((sender as SslStream)?.TargetHostName, certificate, errors, ca, caFile),
            },
        };
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

    /// <summary>True for a trusted server certificate; throws <see cref="ServerTrustException"/> saying why one is not.</summary>
    private static bool Validate(string? host, X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2? ca, string? caFile)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            throw new ServerTrustException("The server presented no certificate.");
        using var server = new X509Certificate2(certificate);
        if (ca is null)
        {
            if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
                throw new ServerTrustException($"The server's certificate ({server.Subject}, issued by {server.Issuer}) is not trusted by this machine. " +
                                               "If the federation made its own CA (zk0 server cert), pass its ca.crt with --ca FILE.");
        }
        else if (ChainProblems(server, ca) is var problems && problems != X509ChainStatusFlags.NoError)
        {
            if (problems.HasFlag(X509ChainStatusFlags.NotTimeValid) && (problems & (X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.UntrustedRoot)) == 0)
                throw new ServerTrustException($"The server's certificate ({server.Subject}) is valid from {server.NotBefore.ToUniversalTime():u} to {server.NotAfter.ToUniversalTime():u}, not now " +
                                               $"({DateTime.UtcNow:u}). Check this machine's clock, or have the admin reissue it with `zk0 server cert` (the CA stays).");
            throw new ServerTrustException($"The server's certificate ({server.Subject}, issued by {server.Issuer}) was not issued by the CA in {caFile} ({ca.Subject}). " +
                                           "Pass the ca.crt of this federation (--ca FILE), the one `zk0 server cert` wrote next to the gateway's server.crt.");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            throw new ServerTrustException($"The server's certificate is for {string.Join(", ", Names(server))}, not '{host}'. " +
                                           $"Connect by one of those names, or have the admin reissue it with `zk0 server cert --host {host}`.");
        return true;
    }

    /// <summary>Why <paramref name="server"/> does not chain to <paramref name="ca"/>; <see cref="X509ChainStatusFlags.NoError"/> when it does.</summary>
    private static X509ChainStatusFlags ChainProblems(X509Certificate2 server, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain.Build(server)) return X509ChainStatusFlags.NoError;
        var problems = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, status) => all | status.Status);
        return problems == X509ChainStatusFlags.NoError ? X509ChainStatusFlags.UntrustedRoot : problems;
    }

    private static IEnumerable<string> Names(X509Certificate2 certificate)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(san => san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(ip => ip.ToString())))
            .ToList();
        return names.Count > 0 ? names : [certificate.GetNameInfo(X509NameType.SimpleName, false)];
    }
}

public sealed class ServerTrustException(string message) : Exception(message);
