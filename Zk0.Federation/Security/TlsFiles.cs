namespace Zk0.Federation.Security;

/// <summary>
/// The PEM files of a private federation's TLS, all in one folder: the CA (<c>ca.crt</c> for nodes and the CLI,
/// <c>ca.key</c> kept by the admin) and the gateway's certificate (<c>server.crt</c>: leaf then CA) and key.
/// </summary>
public sealed record TlsFiles(string Directory)
{
    public string CaCertificate => Path.Combine(Directory, "ca.crt");

    public string CaKey => Path.Combine(Directory, "ca.key");

    public string ServerCertificate => Path.Combine(Directory, "server.crt");

    public string ServerKey => Path.Combine(Directory, "server.key");

    public bool HasServerCertificate => File.Exists(ServerCertificate) && File.Exists(ServerKey);
}
