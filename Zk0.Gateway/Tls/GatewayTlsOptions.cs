namespace Zk0.Gateway.Tls;

/// <summary>
/// The gateway's TLS certificate, bound from <c>Gateway:Tls</c> (env <c>Gateway__Tls__CertificateFile</c>, ...):
/// PEM files as <c>zk0 server cert</c> writes them. Neither set: the gRPC endpoint serves plain h2c.
/// </summary>
public sealed class GatewayTlsOptions
{
    public const string SectionName = "Gateway:Tls";

    /// <summary>The server certificate, leaf first (the rest of the chain may follow), e.g. <c>server.crt</c>.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>Its private key (PKCS#8, SEC1 or RSA PEM), e.g. <c>server.key</c>.</summary>
    public string? KeyFile { get; set; }
}
