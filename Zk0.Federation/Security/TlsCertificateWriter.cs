using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Zk0.Federation.Security;

/// <summary>What <see cref="TlsCertificateWriter.Write"/> did.</summary>
/// <param name="CaCreated">False when an existing CA signed the new server certificate (nodes keep their ca.crt).</param>
public sealed record TlsCertificatesWritten(TlsFiles Files, bool CaCreated, IReadOnlyList<string> Hosts, DateTimeOffset ServerNotAfter);

/// <summary>
/// Writes a private federation's CA and the gateway's server certificate as PEM files. An existing CA is kept and
/// signs a new server certificate (new host names, a renewal); it is replaced only when asked to, since every node's
/// ca.crt then has to be replaced too.
/// </summary>
public static class TlsCertificateWriter
{
    public static TlsCertificatesWritten Write(TlsFiles files, IEnumerable<string> extraHosts, bool newCa)
    {
        var hosts = Hosts(extraHosts);
        Directory.CreateDirectory(files.Directory);

        var caExists = File.Exists(files.CaCertificate) || File.Exists(files.CaKey);
        using var ca = caExists && !newCa ? LoadCa(files) : CertificateAuthority.CreateCa($"Zk0 federation CA {DateTime.UtcNow:yyyy-MM-dd}");
        if (!caExists || newCa)
        {
            WriteFile(files.CaCertificate, ca.ExportCertificatePem() + "\n", secret: false);
            using var caKey = ca.GetECDsaPrivateKey()!;
            WriteFile(files.CaKey, caKey.ExportPkcs8PrivateKeyPem() + "\n", secret: true);
        }

        using var server = CertificateAuthority.IssueServerCertificate(ca, hosts);
        using var serverKey = server.GetECDsaPrivateKey()!;
        WriteFile(files.ServerKey, serverKey.ExportPkcs8PrivateKeyPem() + "\n", secret: true);
        // Leaf then CA: clients that were given only ca.crt build the chain either way, and others see the whole chain.
        WriteFile(files.ServerCertificate, server.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n", secret: false);
        return new TlsCertificatesWritten(files, !caExists || newCa, hosts, new DateTimeOffset(server.NotAfter));
    }

    private static List<string> Hosts(IEnumerable<string> extraHosts)
    {
        var hosts = CertificateAuthority.DefaultHosts().ToList();
        foreach (var host in extraHosts)
        {
            if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
                throw new TlsSetupException($"--host '{host}' is not a host name or IP address; give the name or address nodes use to reach the gateway (e.g. --host fl.example.org).");
            if (!hosts.Contains(host, StringComparer.OrdinalIgnoreCase)) hosts.Add(host);
        }
        return hosts;
    }

    private static X509Certificate2 LoadCa(TlsFiles files)
    {
        const string remedy = "restore it, or pass --force to make a new CA (every node and CLI then needs the new ca.crt)";
        if (!File.Exists(files.CaCertificate)) throw new TlsSetupException($"{files.CaKey} exists but {files.CaCertificate} does not: {remedy}.");
        if (!File.Exists(files.CaKey)) throw new TlsSetupException($"{files.CaCertificate} exists but its key {files.CaKey} does not: {remedy}.");
        try
        {
            var ca = X509Certificate2.CreateFromPemFile(files.CaCertificate, files.CaKey);
            if (ca.GetECDsaPublicKey() is null) throw new TlsSetupException($"{files.CaCertificate} is not an ECDSA CA made by zk0 server cert: {remedy}.");
            return ca;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new TlsSetupException($"{files.CaCertificate} and {files.CaKey} could not be read as a certificate and its key ({ex.Message}): {remedy}.");
        }
    }

    /// <summary>Writes <paramref name="text"/>; a secret is created readable by its owner only (mode 600), never wider for a moment.</summary>
    private static void WriteFile(string path, string text, bool secret)
    {
        if (secret && File.Exists(path)) File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        stream.Write(Encoding.ASCII.GetBytes(text));
    }
}

/// <summary>A problem with the TLS files or the options that make them; the message says what to do.</summary>
public sealed class TlsSetupException(string message) : Exception(message);
