using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace Zk0.Gateway.ServiceDiscovery;

/// <summary>
/// Resolves cluster destinations such as <c>http://superlink</c> through service discovery
/// (<c>services:superlink:http:0</c>, as an Aspire AppHost sets it): each resolved endpoint
/// becomes a destination <c>{name}[{endpoint}]</c> with the configured path kept. Does what
/// Microsoft.Extensions.ServiceDiscovery.Yarp's resolver does; that package is not available here.
/// </summary>
public sealed class ServiceDiscoveryDestinationResolver(ServiceEndpointResolver resolver) : IDestinationResolver
{
    public async ValueTask<ResolvedDestinationCollection> ResolveDestinationsAsync(
        IReadOnlyDictionary<string, DestinationConfig> destinations, CancellationToken cancellationToken)
    {
        var resolved = new Dictionary<string, DestinationConfig>();
        var changeTokens = new List<IChangeToken>();
        foreach (var (name, destination) in destinations)
        {
            var (endpoints, changeToken) = await ResolveAsync(name, destination, cancellationToken).ConfigureAwait(false);
            foreach (var (endpointName, endpoint) in endpoints) resolved[endpointName] = endpoint;
            if (changeToken is not null) changeTokens.Add(changeToken);
        }

        return new ResolvedDestinationCollection(resolved, new CompositeChangeToken(changeTokens));
    }

    private async Task<(List<(string Name, DestinationConfig Config)> Endpoints, IChangeToken? ChangeToken)> ResolveAsync(
        string originalName, DestinationConfig originalConfig, CancellationToken cancellationToken)
    {
        var originalUri = new Uri(originalConfig.Address);
        var serviceName = originalUri.GetLeftPart(UriPartial.Authority);
        var source = await resolver.GetEndpointsAsync(serviceName, cancellationToken).ConfigureAwait(false);

        var results = new List<(string, DestinationConfig)>();
        foreach (var endpoint in source.Endpoints)
        {
            var resolvedUri = ToUri(endpoint.EndPoint, originalUri);
            var address = new UriBuilder(originalUri) { Scheme = resolvedUri.Scheme, Host = resolvedUri.Host, Port = resolvedUri.Port }.Uri;
            string? health = null;
            if (originalConfig.Health is { Length: > 0 } healthAddress)
            {
                health = new UriBuilder(new Uri(healthAddress)) { Scheme = resolvedUri.Scheme, Host = resolvedUri.Host, Port = resolvedUri.Port }.Uri.ToString();
            }
            results.Add(($"{originalName}[{endpoint}]", originalConfig with { Address = address.ToString(), Health = health }));
        }

        if (results.Count == 0)
        {
            throw new InvalidOperationException(
                $"Service discovery found no endpoint for '{serviceName}' (destination '{originalName}'). " +
                $"Set 'services:{originalUri.Host}:{originalUri.Scheme}:0' (environment services__{originalUri.Host}__{originalUri.Scheme}__0), " +
                "as Zk0.AppHost or an Aspire AppHost does through WithReference.");
        }

        return (results, source.ChangeToken);
    }

    private static Uri ToUri(System.Net.EndPoint endPoint, Uri original) => endPoint switch
    {
        UriEndPoint uri => uri.Uri,
        System.Net.DnsEndPoint dns => new UriBuilder(original.Scheme, dns.Host, dns.Port).Uri,
        System.Net.IPEndPoint ip => new UriBuilder(original.Scheme, ip.Address.ToString(), ip.Port).Uri,
        _ => new Uri($"{original.Scheme}://{endPoint}"),
    };
}
