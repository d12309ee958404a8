using TorchSharp;
using Zk0.Policy.SmolVla.Configuration;
using Zk0.Policy.SmolVla.Expert;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla;

/// <summary>
/// LeRobot's <c>VLAFlowMatching</c> (the policy's <c>model</c>): the joint VLM + expert transformer and the
/// state / action / time projections. Embedding, training and sampling live in the feature folders.
/// </summary>
public sealed partial class VlaFlowMatching : NamedModule
{
    private readonly nn.Module<Tensor, Tensor> _stateProjection;
    private readonly nn.Module<Tensor, Tensor> _actionIn;
    private readonly nn.Module<Tensor, Tensor> _actionOut;
    private readonly nn.Module<Tensor, Tensor> _actionTimeIn;
    private readonly nn.Module<Tensor, Tensor> _actionTimeOut;

    public VlaFlowMatching(SmolVlaArchitecture arch, TensorPlacement at) : base(nameof(VlaFlowMatching))
    {
        arch.Validate();
        Architecture = arch;
        VlmWithExpert = Child("vlm_with_expert", new SmolVlmWithExpert(arch, at));
        var p = arch.Policy;
        var expert = arch.ExpertHiddenSize;
        at = at.ForPlainModules;
        _stateProjection = Child("state_proj", Linear(p.MaxStateDim, arch.Vlm.Text.HiddenSize, true, at));
        _actionIn = Child("action_in_proj", Linear(p.MaxActionDim, expert, true, at));
        _actionOut = Child("action_out_proj", Linear(expert, p.MaxActionDim, true, at));
        _actionTimeIn = Child("action_time_mlp_in", Linear(expert * 2, expert, true, at));
        _actionTimeOut = Child("action_time_mlp_out", Linear(expert, expert, true, at));
    }

    public SmolVlaArchitecture Architecture { get; }
    public SmolVlmWithExpert VlmWithExpert { get; }

    /// <summary>Expert output → velocity, in float32 as LeRobot computes it.</summary>
    private Tensor Velocity(Tensor suffixOut)
    {
        using var scope = NewDisposeScope();
        var chunk = Architecture.Policy.ChunkSize;
        var last = suffixOut.narrow(1, suffixOut.shape[1] - chunk, chunk).to(ScalarType.Float32);
        return Project(_actionOut, last).MoveToOuterDisposeScope();
    }
}
