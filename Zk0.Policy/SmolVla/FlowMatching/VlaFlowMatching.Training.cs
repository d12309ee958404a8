using Zk0.Policy.Abstractions;
using Zk0.Policy.SmolVla.Embeddings;
using Zk0.Policy.SmolVla.FlowMatching;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla;

public sealed partial class VlaFlowMatching
{
    /// <summary>
    /// The flow-matching training forward: x_t = t·noise + (1−t)·actions, target u = noise − actions, one joint pass
    /// over [prefix; suffix], velocity from the expert, per-element loss (u − v)² of shape [B, chunk, max_action_dim].
    /// </summary>
    /// <param name="actions">[B, chunk, max_action_dim], padded</param>
    /// <param name="noise">[B, chunk, max_action_dim]</param>
    /// <param name="time">[B] in (0, 1]</param>
    public TrainingForward Forward(PolicyInputs inputs, Tensor actions, Tensor noise, Tensor time)
    {
        using var scope = NewDisposeScope();
        var t = time.unsqueeze(1).unsqueeze(2);
        // 1 − t, + and square() spelled out with kept Scalars (see KeptScalars).
        var oneMinusT = t.negative().add(KeptScalars.IntOne, KeptScalars.IntOne);
        var noisy = (t * noise).add(oneMinusT * actions, KeptScalars.IntOne);
        var target = noise - actions;
        using var prefix = EmbedPrefix(inputs);
        using var suffix = EmbedSuffix(noisy, time);
        var pad = cat([prefix.PadMasks, suffix.PadMasks], 1);
        var marks = cat([prefix.Marks.to(suffix.Marks.dtype), suffix.Marks], 1);
        var mask = AttentionMasks.Make2D(pad, marks);
        var positions = AttentionMasks.Positions(pad);
        var (prefixOut, suffixOut) = VlmWithExpert.Forward(prefix.Embeddings, suffix.Embeddings, mask, positions);
        var velocity = Velocity(suffixOut!);
        var losses = (target - velocity).pow(KeptScalars.IntTwo);
        var result = new TrainingForward(noisy, target, prefix.Embeddings.alias(), suffix.Embeddings.alias(), mask, positions,
            prefixOut!, suffixOut!, velocity, losses);
        foreach (var tensorOut in new[] { noisy, target, result.PrefixEmbeddings, result.SuffixEmbeddings, mask, positions, prefixOut!, suffixOut!, velocity, losses })
            tensorOut.MoveToOuterDisposeScope();
        return result;
    }
}
