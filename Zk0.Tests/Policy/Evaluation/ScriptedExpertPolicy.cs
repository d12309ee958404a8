using Zk0.Datasets.Samples;
using Zk0.Datasets.Simulation;
using Zk0.Federation.Safetensors;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Abstractions.Data;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Evaluation;

/// <summary>
/// The scripted expert behind the policy interface, to check closed-loop scoring end to end: it sees only the normalized
/// observation, recognises each evaluation episode by its exact reset state, plans in a shadow simulator reset to that
/// scene, and answers normalized chunks. It succeeds only if the scorer normalizes and un-normalizes exactly right.
/// </summary>
public sealed class ScriptedExpertPolicy : IFederatedPolicy
{
    private readonly Normalizer _normalization;
    private readonly ArmSimulator _shadow;
    private readonly List<(int Seed, float[] ResetState)> _episodes;
    private ScriptedExpert? _expert;
    private int _nextEpisode;

    public ScriptedExpertPolicy(PolicyFeatures features, SimTask task, Normalizer normalization, IEnumerable<int> episodeSeeds, SimulatorOptions options)
    {
        Features = features;
        _normalization = normalization;
        _shadow = new ArmSimulator(task, options);
        _episodes = episodeSeeds.Select(seed => { _shadow.Reset(seed); return (seed, _shadow.State); }).ToList();
    }

    public int EpisodesRecognised => _nextEpisode;

    public string PolicyType => "scripted-expert";
    public PolicyFeatures Features { get; }
    public IReadOnlyList<(string Name, Tensor Tensor)> TrainableTensors => [];

    public Tensor PredictActionChunk(PolicyObservation observation, Generator generator)
    {
        var state = observation.State[0].data<float>().ToArray();
        _normalization.Unnormalize(LeRobotPolicyDataset.StateKey, state);
        if (_nextEpisode < _episodes.Count && Near(state, _episodes[_nextEpisode].ResetState))
        {
            var seed = _episodes[_nextEpisode++].Seed;
            _shadow.Reset(seed);
            _expert = new ScriptedExpert(seed);
        }
        if (_expert is null) throw new InvalidOperationException("The first observation is not the reset state of the first evaluation episode.");

        var actions = new float[Features.ChunkSize * Features.ActionDim];
        for (var t = 0; t < Features.ChunkSize; t++)
        {
            var action = _expert.Act(_shadow);
            _shadow.Step(action);
            action.CopyTo(actions, t * Features.ActionDim);
        }
        _normalization.Normalize(LeRobotPolicyDataset.ActionKey, actions);
        return tensor(actions, [1, Features.ChunkSize, Features.ActionDim]);
    }

    private static bool Near(float[] a, float[] b) => a.Zip(b).All(p => Math.Abs(p.First - p.Second) < 1e-3f);

    public void ExportTrainable(string path, SafetensorsDType wireDType = SafetensorsDType.F32, IReadOnlyList<(string Name, Tensor Tensor)>? alongside = null) => throw new NotSupportedException("The scripted expert has no weights.");
    public void ImportTrainable(string path, IReadOnlyList<(string Name, Tensor Tensor)>? alongside = null) => throw new NotSupportedException("The scripted expert has no weights.");
    public void SaveCheckpoint(string directory) => throw new NotSupportedException("The scripted expert has no weights.");
    public LocalTrainingResult Train(IEnumerable<PolicyBatch> batches, LocalTrainingOptions options, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The scripted expert does not learn.");
    public PolicyEvaluationResult Evaluate(IEnumerable<PolicyBatch> batches, PolicyEvaluationOptions options, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The scripted expert has no loss.");

    public void Dispose() => _shadow.Dispose();
}

/// <summary>Always answers the dataset's mean action (zeros in normalized units): the arm drifts to one pose and stays.</summary>
public sealed class MeanActionPolicy(PolicyFeatures features) : IFederatedPolicy
{
    public string PolicyType => "mean-action";
    public PolicyFeatures Features { get; } = features;
    public IReadOnlyList<(string Name, Tensor Tensor)> TrainableTensors => [];

    public Tensor PredictActionChunk(PolicyObservation observation, Generator generator) =>
        zeros(observation.Size, Features.ChunkSize, Features.ActionDim);

    public void ExportTrainable(string path, SafetensorsDType wireDType = SafetensorsDType.F32, IReadOnlyList<(string Name, Tensor Tensor)>? alongside = null) => throw new NotSupportedException("No weights.");
    public void ImportTrainable(string path, IReadOnlyList<(string Name, Tensor Tensor)>? alongside = null) => throw new NotSupportedException("No weights.");
    public void SaveCheckpoint(string directory) => throw new NotSupportedException("No weights.");
    public LocalTrainingResult Train(IEnumerable<PolicyBatch> batches, LocalTrainingOptions options, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("It does not learn.");
    public PolicyEvaluationResult Evaluate(IEnumerable<PolicyBatch> batches, PolicyEvaluationOptions options, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("It has no loss.");
    public void Dispose() { }
}
