using Zk0.Policy.SmolVla.Configuration;
using Zk0.Policy.SmolVla.Text;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Expert;

/// <summary>
/// LeRobot's <c>SmolVLMWithExpertModel</c> (<c>vlm_with_expert</c>): the VLM and the action expert run layer by
/// layer in lock-step, joint self-attention on some layers, expert-to-VLM cross-attention on the others.
/// </summary>
public sealed class SmolVlmWithExpert : NamedModule
{
    private readonly SmolVlaArchitecture _arch;

    public SmolVlmWithExpert(SmolVlaArchitecture arch, TensorPlacement at) : base(nameof(SmolVlmWithExpert))
    {
        _arch = arch;
        Vlm = Child("vlm", new SmolVlm(arch, at));
        Expert = Child("lm_expert", new ActionExpert(arch, at));
    }

    public SmolVlm Vlm { get; }
    public ActionExpert Expert { get; }

    /// <summary>
    /// Runs the present streams through every layer and the final norms.
    /// <paramref name="mask"/> is [B, Lq, Lk] bool; <paramref name="positions"/> [B, Lq] int64.
    /// With <paramref name="fillCache"/> the prefix keys/values of every layer are stored in <paramref name="cache"/>;
    /// with a filled cache and no prefix, the suffix attends to the cached prefix.
    /// </summary>
    public (Tensor? Prefix, Tensor? Suffix) Forward(Tensor? prefix, Tensor? suffix, Tensor mask, Tensor positions,
        PrefixKvCache? cache = null, bool fillCache = false)
    {
        var (vlmOut, expertOut) = (prefix, suffix);
        for (var layer = 0; layer < _arch.VlmLayers; layer++)
        {
            var (nextVlm, nextExpert) = RunLayer(layer, vlmOut, expertOut, mask, positions, cache, fillCache);
            if (!ReferenceEquals(vlmOut, prefix) && !ReferenceEquals(vlmOut, nextVlm)) vlmOut?.Dispose();
            if (!ReferenceEquals(expertOut, suffix) && !ReferenceEquals(expertOut, nextExpert)) expertOut?.Dispose();
            (vlmOut, expertOut) = (nextVlm, nextExpert);
        }

        var prefixOut = vlmOut is null ? null : Vlm.TextModel.Norm.Forward(vlmOut);
        var suffixOut = expertOut is null ? null : Expert.Norm.Forward(expertOut);
        if (!ReferenceEquals(vlmOut, prefix)) vlmOut?.Dispose();
        if (!ReferenceEquals(expertOut, suffix)) expertOut?.Dispose();
        return (prefixOut, suffixOut);
    }

    private (Tensor? Vlm, Tensor? Expert) RunLayer(int layer, Tensor? prefix, Tensor? suffix, Tensor mask, Tensor positions,
        PrefixKvCache? cache, bool fillCache)
    {
        using var scope = NewDisposeScope();
        var vlmLayer = Vlm.TextModel.Layers[layer];
        var expertLayer = _arch.ExpertLayerFor(layer) is int e ? Expert.Layers[e] : null;
        var selfAttention = fillCache || !_arch.IsCrossAttentionMode
            || (_arch.Policy.SelfAttnEveryNLayers > 0 && layer % _arch.Policy.SelfAttnEveryNLayers == 0);

        var (vlmAttention, expertAttention) = selfAttention
            ? JointAttention.SelfAttention(layer, vlmLayer, expertLayer, prefix, suffix, mask, positions, cache, fillCache)
            : JointAttention.CrossAttention(layer, vlmLayer, expertLayer, prefix, suffix, mask, positions, cache);

        var vlmOut = prefix is null || vlmAttention is null ? prefix : vlmLayer.FinishBlock(prefix, vlmAttention);
        var expertOut = suffix is null || expertLayer is null || expertAttention is null
            ? suffix : expertLayer.FinishBlock(suffix, expertAttention);
        if (vlmOut is not null && !ReferenceEquals(vlmOut, prefix)) vlmOut.MoveToOuterDisposeScope();
        if (expertOut is not null && !ReferenceEquals(expertOut, suffix)) expertOut.MoveToOuterDisposeScope();
        return (vlmOut, expertOut);
    }
}
