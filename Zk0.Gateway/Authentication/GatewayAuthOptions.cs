namespace Zk0.Gateway.Authentication;

/// <summary>Who may call what through the gateway, bound from <c>Gateway:Auth</c>. Everything off is the local demo.</summary>
public sealed class GatewayAuthOptions
{
    public const string SectionName = "Gateway:Auth";

    /// <summary>Fleet calls must be signed by a registered node key (see <c>FleetRequestSignature</c>).</summary>
    public bool NodeAuthentication { get; set; }

    /// <summary>The operator credential the Control API and the federation page ask for; empty: no credential asked.</summary>
    public string? OperatorToken { get; set; }

    /// <summary>How far a signed call's timestamp may be from the gateway's clock; nonces are remembered twice as long.</summary>
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The SuperLink's <c>SuperLink:KeyPrefix</c>: where in Redis the node key registry is (see <c>NodeKeyRegistryLayout</c>).</summary>
    public string KeyPrefix { get; set; } = "zk0";
}
