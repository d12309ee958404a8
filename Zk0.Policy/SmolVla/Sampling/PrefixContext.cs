using Zk0.Policy.SmolVla.Expert;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Sampling;

/// <summary>The prefix after the prefill pass: its validity mask [B, P], the per-layer KV cache and the VLM output.</summary>
public sealed record PrefixContext(Tensor PadMasks, PrefixKvCache Cache, Tensor PrefixOut) : IDisposable
{
    public void Dispose()
    {
        PadMasks.Dispose();
        Cache.Dispose();
        PrefixOut.Dispose();
    }
}

/// <summary>One Euler step as it happened: t, x at the start of the step, the velocity.</summary>
public sealed record EulerStep(int Index, float Time, Tensor X, Tensor Velocity);
