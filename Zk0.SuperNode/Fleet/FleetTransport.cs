using Zk0.Federation.Security;

namespace Zk0.SuperNode.Fleet;

/// <summary>
/// How the node reaches the Fleet API: the address, the CA it verifies the gateway against (<c>SuperNode:CaFile</c>)
/// and what to say about plain h2c, which is for loopback development only (<see cref="PlaintextPolicy"/>).
/// </summary>
public sealed record FleetTransport(Uri Address, string? CaFile, string? Warning)
{
    public const string AllowSetting = "SuperNode:AllowInsecure=true";

    /// <summary>
    /// From the <c>SuperNode</c> section; throws <see cref="InsecureTransportException"/> for plain h2c to another
    /// machine (unless allowed) and <see cref="ServerTrustException"/> for a CA file that cannot be used.
    /// </summary>
    public static FleetTransport From(IConfiguration configuration)
    {
        var options = configuration.GetSection(SuperNodeOptions.SectionName).Get<SuperNodeOptions>() ?? new SuperNodeOptions();
        var address = FleetAddress.Resolve(configuration, options.FleetAddress);
        var caFile = string.IsNullOrWhiteSpace(options.CaFile) ? null : options.CaFile;
        if (caFile is not null)
        {
            if (address.Scheme != Uri.UriSchemeHttps)
                throw new InsecureTransportException($"SuperNode:CaFile is set but the Fleet address {address} is not https://: use https://{address.Authority} to verify the gateway against {caFile}.");
            ServerTrust.LoadCa(caFile).Dispose();
        }
        // A discovered address comes from the AppHost's local graph on this machine (the names are not loopback addresses).
        var warning = string.IsNullOrWhiteSpace(options.FleetAddress) && address.Scheme == Uri.UriSchemeHttp
            ? $"{address} (service discovery, the local graph) is plain h2c: for loopback development only; the AppHost's --tls serves TLS."
            : PlaintextPolicy.Check(address, options.AllowInsecure, AllowSetting, "SuperNode:CaFile");
        return new FleetTransport(address, caFile, warning);
    }

    public bool IsTls => Address.Scheme == Uri.UriSchemeHttps;
}
