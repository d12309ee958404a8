using Yarp.ReverseProxy.ServiceDiscovery;
using Zk0.Gateway.ServiceDiscovery;

namespace Microsoft.Extensions.DependencyInjection;

public static class ServiceDiscoveryReverseProxyExtensions
{
    /// <summary>Resolves YARP cluster destinations through Microsoft.Extensions.ServiceDiscovery.</summary>
    public static IReverseProxyBuilder AddServiceDiscoveryDestinationResolver(this IReverseProxyBuilder builder)
    {
        builder.Services.AddServiceDiscoveryCore();
        builder.Services.AddSingleton<IDestinationResolver, ServiceDiscoveryDestinationResolver>();
        return builder;
    }
}
