using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// Everything needed to build a policy: the dataset's shapes, the policy's own settings (run-config
/// keys such as <c>hidden-size</c>; unknown keys are ignored so one run config can serve several
/// policy types), the seed that fixes the initial weights, and the device.
/// </summary>
public sealed record PolicyCreateOptions(
    PolicyFeatures Features,
    IReadOnlyDictionary<string, string> Settings,
    long Seed,
    Device? Device = null);
