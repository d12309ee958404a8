using Zk0.Federation.Runs;
using Zk0.Federation.Safetensors;

namespace Zk0.Federation.Validation;

/// <summary>What a run allows an update to be, beyond matching the global model: its wire dtype and its norm bound.</summary>
/// <param name="WireDType">The run's <c>wire-dtype</c>: a floating-point tensor may come in it instead of the global model's dtype.</param>
/// <param name="MaxUpdateNorm">The run's <c>max-update-norm</c>: the largest L2 distance an update may have from the global model; null for none.</param>
public sealed record UpdateRules(SafetensorsDType? WireDType, double? MaxUpdateNorm)
{
    public static UpdateRules Of(RunConfiguration config) => new(config.WireDType, config.MaxUpdateNorm);
}
