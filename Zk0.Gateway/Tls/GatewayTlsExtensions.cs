using System.Net;
using Microsoft.AspNetCore.Server.Kestrel;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Zk0.Federation.Security;

namespace Zk0.Gateway.Tls;

public static class GatewayTlsExtensions
{
    /// <summary>The Kestrel endpoint nodes and the CLI call (Fleet and Control APIs).</summary>
    public const string GrpcEndpoint = "grpc";

    /// <summary>
    /// With <see cref="GatewayTlsOptions"/> set, the <c>grpc</c> endpoint serves HTTPS with HTTP/1.1 and HTTP/2 (ALPN), so
    /// gRPC and browsers share the port, whether its URL says http:// or https://. Without, it stays plain h2c, and the
    /// gateway says so: a warning on a non-loopback address. A wrong certificate throws <see cref="TlsSetupException"/> naming the file.
    /// </summary>
    public static WebApplicationBuilder AddGatewayTls(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GatewayTlsOptions.SectionName).Get<GatewayTlsOptions>() ?? new GatewayTlsOptions();
        var certificate = GatewayCertificate.Load(options);

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            if (certificate is not null) kestrel.ConfigureHttpsDefaults(https => Use(https, certificate));
            var loader = kestrel.ConfigurationLoader ?? kestrel.Configure(context.Configuration.GetSection("Kestrel"));
            loader.Endpoint(GrpcEndpoint, endpoint =>
            {
                if (certificate is null)
                {
                    SayPlaintext(endpoint);
                    return;
                }
                endpoint.ListenOptions.Protocols = HttpProtocols.Http1AndHttp2;
                if (endpoint.IsHttps) Use(endpoint.HttpsOptions, certificate);
                else endpoint.ListenOptions.UseHttps(https => Use(https, certificate));
            });
        });
        return builder;
    }

    private static void Use(HttpsConnectionAdapterOptions https, GatewayCertificate certificate)
    {
        https.ServerCertificate = certificate.Certificate;
        https.ServerCertificateChain = certificate.Chain;
    }

    private static void SayPlaintext(EndpointConfiguration endpoint)
    {
        if (endpoint.IsHttps) return;
        var logger = endpoint.ListenOptions.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Zk0.Gateway.Tls");
        var url = endpoint.ConfigSection["Url"];
        if (endpoint.ListenOptions.IPEndPoint is { } ip && IPAddress.IsLoopback(ip.Address))
            logger.LogInformation("gRPC endpoint {Url} serves plain h2c, for loopback development only; set Gateway:Tls:CertificateFile and KeyFile (zk0 server cert) to serve TLS", url);
        else
            logger.LogWarning("gRPC endpoint {Url} serves plain h2c on a non-loopback address: nodes' traffic is unencrypted and h2c is for loopback development only. " +
                              "Set Gateway:Tls:CertificateFile and KeyFile (zk0 server cert) to serve TLS", url);
    }
}
