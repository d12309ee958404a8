using Zk0.Federation.Security;

namespace Zk0.AppHost.Tls;

/// <summary>
/// <c>--tls DIR</c>: the gateway serves HTTPS with DIR/server.crt and DIR/server.key, made there (with a new CA, or
/// the CA already there) when missing; everything in the graph that calls the gateway verifies it against DIR/ca.crt.
/// </summary>
public static class LocalTls
{
    /// <summary>The TLS files in <paramref name="directory"/>, made when missing; what was done goes to <paramref name="say"/>.</summary>
    public static TlsFiles Prepare(string directory, Action<string> say)
    {
        var files = new TlsFiles(Path.GetFullPath(directory));
        if (!files.HasServerCertificate)
        {
            var written = TlsCertificateWriter.Write(files, [], newCa: false);
            say($"made {files.ServerCertificate} for {string.Join(", ", written.Hosts)}" +
                (written.CaCreated ? $", signed by a new CA {files.CaCertificate}" : $", signed by the CA {files.CaCertificate}"));
        }
        else if (!File.Exists(files.CaCertificate))
        {
            throw new TlsSetupException($"{files.ServerCertificate} is there but {files.CaCertificate} is not: the graph verifies the gateway against that CA. " +
                                        $"Put the CA that signed server.crt there, or make both with `zk0 server cert --out {files.Directory} --force`.");
        }
        say($"the gateway serves HTTPS with {files.ServerCertificate}; nodes and the zk0 CLI pass --ca {files.CaCertificate}");
        return files;
    }

    /// <summary>The gateway's gRPC endpoint becomes https (HTTP/1.1 and HTTP/2 over TLS) with the certificate from <paramref name="tls"/>.</summary>
    public static IResourceBuilder<ProjectResource> WithTls(this IResourceBuilder<ProjectResource> gateway, TlsFiles? tls)
    {
        if (tls is null) return gateway;
        // DCP's proxy in front of the endpoint forwards TCP, so the TLS handshake is the gateway's own.
        return gateway.WithEndpoint("grpc", endpoint => endpoint.UriScheme = "https")
            .WithEnvironment("Gateway__Tls__CertificateFile", tls.ServerCertificate)
            .WithEnvironment("Gateway__Tls__KeyFile", tls.ServerKey);
    }

    /// <summary>A local node calls the gateway's https endpoint and verifies it against the graph's CA.</summary>
    public static IResourceBuilder<ProjectResource> WithGatewayTrust(this IResourceBuilder<ProjectResource> node,
        IResourceBuilder<ProjectResource> gateway, TlsFiles? tls)
    {
        if (tls is null) return node;
        return node.WithEnvironment("SuperNode__FleetAddress", gateway.GetEndpoint("grpc"))
            .WithEnvironment("SuperNode__CaFile", tls.CaCertificate);
    }
}
