namespace Zk0.ServiceDefaults.Redis;

/// <summary>
/// The settings an <c>Aspire.StackExchange.Redis</c> client binds, under the same names, so a
/// service configured for the real component works with this registration unchanged.
/// </summary>
public sealed class StackExchangeRedisSettings
{
    public string? ConnectionString { get; set; }

    public bool DisableHealthChecks { get; set; }

    public bool DisableTracing { get; set; }

    /// <summary>When false, the multiplexer connects at startup instead of on first use.</summary>
    public bool DisableAutoActivation { get; set; } = true;
}
