using Zk0.Policy.SmolVla.Configuration;
using Zk0.Policy.SmolVla.Embeddings;
using Zk0.Policy.SmolVla.FlowMatching;
using Zk0.Policy.SmolVla.Preprocessing;
using Zk0.Policy.SmolVla.Sampling;
using Zk0.Policy.SmolVla.Training;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla;

/// <summary>
/// LeRobot's <c>SmolVLAPolicy</c>: the network under <c>model.</c> (so state_dict keys equal LeRobot's), the
/// training loss, chunk prediction and the <c>select_action</c> queue. Inputs are already preprocessed.
/// </summary>
public sealed class SmolVlaPolicy : NamedModule
{
    private readonly ActionQueue _queue;

    public SmolVlaPolicy(SmolVlaArchitecture architecture, TensorPlacement? placement = null) : base(nameof(SmolVlaPolicy))
    {
        Architecture = architecture;
        Model = Child("model", new VlaFlowMatching(architecture, placement ?? TensorPlacement.CpuFloat32));
        _queue = new ActionQueue(architecture.Policy.NActionSteps);
        var c = architecture.Policy;
        Preprocessor = new SmolVlaPreprocessor(new SmolVlaPreprocessingOptions(c.ImageFeatureNames.ToList(), c.ResizeImagesWithPadding,
            c.MaxStateDim, c.MaxActionDim, c.EmptyCameras));
        ParameterFreezing.Apply(this);
    }

    public SmolVlaArchitecture Architecture { get; }
    public SmolVlaConfig Config => Architecture.Policy;
    public VlaFlowMatching Model { get; }

    /// <summary>LeRobot's in-policy preprocessing for this configuration (images, state and action padding).</summary>
    public SmolVlaPreprocessor Preprocessor { get; }

    /// <summary>The network inputs for a batch keyed by LeRobot feature names.</summary>
    public PolicyInputs Prepare(IReadOnlyDictionary<string, Tensor> batch) => PolicyInputs.FromBatch(batch, Preprocessor);

    /// <summary>The training loss; with <paramref name="actionIsPad"/>, padded steps do not count.</summary>
    /// <param name="actions">[B, chunk, max_action_dim] (already padded)</param>
    public Tensor Loss(PolicyInputs inputs, Tensor actions, Tensor? actionIsPad, Tensor noise, Tensor time, bool perSample = false)
    {
        using var forward = Model.Forward(inputs, actions, noise, time);
        return PolicyLoss.Reduce(forward.Losses, Config.ActionDim, actionIsPad, perSample);
    }

    /// <summary>The loss with noise and time drawn as LeRobot draws them.</summary>
    public Tensor Loss(PolicyInputs inputs, Tensor actions, Tensor? actionIsPad, Generator? generator = null)
    {
        using var noise = FlowMatchingNoise.SampleNoise(actions.shape, actions.device, generator);
        using var time = FlowMatchingNoise.SampleTime(actions.shape[0], actions.device, generator);
        return Loss(inputs, actions, actionIsPad, noise, time);
    }

    /// <summary><c>predict_action_chunk</c>: the sampled chunk cut to the real action dim, [B, chunk, action_dim].</summary>
    public Tensor PredictActionChunk(PolicyInputs inputs, Tensor? noise = null, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var p = Config;
        noise ??= FlowMatchingNoise.SampleNoise([inputs.BatchSize, p.ChunkSize, p.MaxActionDim], inputs.State.device, generator);
        using var actions = Model.SampleActions(inputs, noise);
        return actions.narrow(2, 0, p.ActionDim).clone().MoveToOuterDisposeScope();
    }

    /// <summary><c>select_action</c>: one action [B, action_dim] per call, re-planning only when the queue is empty.</summary>
    public Tensor SelectAction(PolicyInputs inputs, Tensor? noise = null, Generator? generator = null) =>
        _queue.Next(() => PredictActionChunk(inputs, noise, generator));

    /// <summary>Empties the action queue (LeRobot's <c>reset</c>, called when an episode starts).</summary>
    public void Reset() => _queue.Reset();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _queue.Dispose();
        base.Dispose(disposing);
    }
}
