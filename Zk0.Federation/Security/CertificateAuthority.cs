using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Zk0.Federation.Security;

/// <summary>
/// A private federation's certificate authority: a self-signed ECDSA P-256 CA and the gateway's server certificate
/// signed by it, made with .NET's <see cref="CertificateRequest"/>.
/// </summary>
public static class CertificateAuthority
{
    public static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3652);
    public static readonly TimeSpan ServerLifetime = TimeSpan.FromDays(730);

    /// <summary>Clock skew between machines must not make a fresh certificate "not yet valid".</summary>
    private static readonly TimeSpan Backdate = TimeSpan.FromHours(1);

    public static X509Certificate2 CreateCa(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now - Backdate, now + CaLifetime);
    }

    /// <summary>
    /// A server certificate for <paramref name="hosts"/> (DNS names or IP addresses; the first one is the common name)
    /// signed by <paramref name="ca"/>, which must carry its private key.
    /// </summary>
    public static X509Certificate2 IssueServerCertificate(X509Certificate2 ca, IReadOnlyList<string> hosts)
    {
        if (hosts.Count == 0) throw new ArgumentException("A server certificate needs at least one host name.", nameof(hosts));
        using var caKey = ca.GetECDsaPrivateKey() ?? throw new ArgumentException("The CA certificate has no ECDSA private key.", nameof(ca));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={hosts[0]}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        request.CertificateExtensions.Add(SubjectAlternativeNames(hosts));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));

        var now = DateTimeOffset.UtcNow;
        var notAfter = now + ServerLifetime < ca.NotAfter ? now + ServerLifetime : new DateTimeOffset(ca.NotAfter);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f; // a positive serial number
        using var signed = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now - Backdate, notAfter, serial);
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>The names a server certificate is made for when none are given: loopback and this machine's host name.</summary>
    public static IReadOnlyList<string> DefaultHosts() =>
        new[] { "localhost", "127.0.0.1", "::1", Dns.GetHostName() }.Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static X509Extension SubjectAlternativeNames(IEnumerable<string> hosts)
    {
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            if (IPAddress.TryParse(host, out var ip)) names.AddIpAddress(ip);
            else names.AddDnsName(host);
        }
        return names.Build();
    }
}
