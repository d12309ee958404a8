using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Zk0.Tests.Federation.Security;

namespace Zk0.Tests.AppHost.Tls;

/// <summary>The graph the AppHost declares with <c>--tls DIR</c> (built, not started).</summary>
public sealed class AppHostTlsModelTests
{
    [Fact]
    public async Task TheGatewaysGrpcEndpointIsHttpsWithTheCertificateAndNodesVerifyItAgainstTheCa()
    {
        using var tls = new TlsTestFolder();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Zk0_AppHost>(
            ["--tls", tls.Files.Directory, "--nodes", "1", "--no-run", "--random-ports"], (options, _) => options.DisableDashboard = true, cts.Token);

        var gateway = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "gateway");
        var node = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "supernode-0");
        var grpc = gateway.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "grpc");
        // Publish-mode values are manifest expressions, so nothing needs allocated ports; the testing package's
        // shortest way to evaluate a resource's environment is this (obsolete in favour of a builder it does not expose).
#pragma warning disable CS0618
        var gatewayEnvironment = await gateway.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
        var nodeEnvironment = await node.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
#pragma warning restore CS0618

        Assert.Equal("https", grpc.UriScheme);
        Assert.Equal(tls.Files.ServerCertificate, gatewayEnvironment["Gateway__Tls__CertificateFile"]);
        Assert.Equal(tls.Files.ServerKey, gatewayEnvironment["Gateway__Tls__KeyFile"]);
        Assert.Equal(tls.Files.CaCertificate, nodeEnvironment["SuperNode__CaFile"]);
        Assert.Equal("{gateway.bindings.grpc.url}", nodeEnvironment["SuperNode__FleetAddress"]);
    }
}
