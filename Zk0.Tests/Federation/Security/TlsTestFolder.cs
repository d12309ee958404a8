using Zk0.Federation.Security;

namespace Zk0.Tests.Federation.Security;

/// <summary>A temporary folder with a CA and server certificate as <c>zk0 server cert</c> writes them.</summary>
public sealed class TlsTestFolder : IDisposable
{
    public TlsTestFolder(bool withCertificates = true, params string[] hosts)
    {
        Files = new TlsFiles(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "zk0-tls-" + Guid.NewGuid().ToString("N")));
        if (withCertificates) TlsCertificateWriter.Write(Files, hosts, newCa: false);
        else Directory.CreateDirectory(Files.Directory);
    }

    public TlsFiles Files { get; }

    public string Path(string name) => System.IO.Path.Combine(Files.Directory, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Files.Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
