using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Zk0.Federation.Security;

namespace Zk0.Gateway.Tls;

/// <summary>The gateway's server certificate with its key, and the chain it sends along.</summary>
public sealed record GatewayCertificate(X509Certificate2 Certificate, X509Certificate2Collection Chain)
{
    private const string Remedy = "make them with `zk0 server cert --out DIR` (server.crt, server.key) or point the option to your PEM files";

    /// <summary>Null when TLS is not configured; a <see cref="TlsSetupException"/> naming the file and what to do when it is wrong.</summary>
    public static GatewayCertificate? Load(GatewayTlsOptions options)
    {
        var (certificateFile, keyFile) = (Blank(options.CertificateFile), Blank(options.KeyFile));
        if (certificateFile is null && keyFile is null) return null;
        if (certificateFile is null || keyFile is null)
            throw new TlsSetupException($"{GatewayTlsOptions.SectionName}:{(certificateFile is null ? "CertificateFile" : "KeyFile")} is not set while " +
                                        $"{GatewayTlsOptions.SectionName}:{(certificateFile is null ? "KeyFile" : "CertificateFile")} is: give both; {Remedy}.");
        foreach (var (option, file) in new[] { ("CertificateFile", certificateFile), ("KeyFile", keyFile) })
        {
            if (!File.Exists(file))
                throw new TlsSetupException($"{GatewayTlsOptions.SectionName}:{option} {Path.GetFullPath(file)} not found: {Remedy}.");
        }
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            if (OperatingSystem.IsWindows())
            {
                // SslStream on Windows cannot use a PEM-loaded certificate's ephemeral key; a PKCS#12 round trip persists it.
                using var ephemeral = certificate;
                certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
            }
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(certificateFile);
            return new GatewayCertificate(certificate, chain);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new TlsSetupException($"{Path.GetFullPath(certificateFile)} and {Path.GetFullPath(keyFile)} are not a PEM certificate and its private key ({ex.Message}): {Remedy}.");
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
