using TorchSharp;
using TorchSharp.Modules;
using Zk0.Federation.Safetensors;
using Zk0.Policy.Abstractions;
using Zk0.Policy.SmolVla.FlowMatching;
using Zk0.Policy.SmolVla.Training;
using Zk0.Policy.Tokenization;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Federation;

/// <summary>
/// SmolVLA as a federation policy. Only the parameters LeRobot trains travel (their LeRobot names); a round is AdamW with
/// LeRobot's betas, ε, weight decay and gradient clipping under a cosine decay with warm-up over the round's steps, plus
/// FedProx's proximal term. Evaluation uses fixed per-sample noise and time and also scores sampled action chunks.
/// </summary>
public sealed class SmolVlaFederatedPolicy : IFederatedPolicy
{
    private readonly SmolVlaPolicy _policy;
    private readonly SmolVlaBatchInputs _inputs;
    private readonly Device _device;

    public SmolVlaFederatedPolicy(SmolVlaPolicy policy, LanguageTokenizer tokenizer, PolicyFeatures features, Device? device = null)
    {
        _policy = policy;
        _device = device ?? CPU;
        _policy.to(_device);
        Features = features;
        if (features.ActionDim != policy.Config.ActionDim)
            throw new ArgumentException($"The dataset's action has {features.ActionDim} values but the SmolVLA configuration's has {policy.Config.ActionDim}; use a checkpoint trained for this robot.");
        if (features.ChunkSize != policy.Config.ChunkSize)
            throw new ArgumentException($"The run's action chunk is {features.ChunkSize} steps but the SmolVLA configuration's chunk_size is {policy.Config.ChunkSize}; set PolicyData:ChunkSize to {policy.Config.ChunkSize}.");
        if (features.StateDim > policy.Config.MaxStateDim)
            throw new ArgumentException($"The dataset's state has {features.StateDim} values, more than the SmolVLA max_state_dim {policy.Config.MaxStateDim}.");
        _inputs = new SmolVlaBatchInputs(policy, tokenizer, features);
        TrainableTensors = policy.named_parameters()
            .Where(p => p.parameter.requires_grad)
            .Select(p => (p.name, (Tensor)p.parameter))
            .ToList();
    }

    public const string TypeName = "smolvla";

    public string PolicyType => TypeName;

    public PolicyFeatures Features { get; }

    public SmolVlaPolicy Policy => _policy;

    public IReadOnlyList<(string Name, Tensor Tensor)> TrainableTensors { get; }

    public void ExportTrainable(string path, SafetensorsDType wireDType = SafetensorsDType.F32, IReadOnlyList<(string Name, Tensor Tensor)>? alongside = null) =>
        TrainableTensorFile.Export(path, PolicyType, [.. TrainableTensors, .. alongside ?? []], wireDType);

    public void ImportTrainable(string path, IReadOnlyList<(string Name, Tensor Tensor)>? alongside = null) =>
        TrainableTensorFile.Import(path, [.. TrainableTensors, .. alongside ?? []]);

    public void SaveCheckpoint(string directory) => SmolVla.Checkpoint.SmolVlaCheckpoint.Save(_policy, directory);

    public LocalTrainingResult Train(IEnumerable<PolicyBatch> batches, LocalTrainingOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var weights = TrainableTensors.Select(t => t.Tensor).ToList();
        var parameters = TrainableTensors.Select(t => (Parameter)t.Tensor).ToList();
        var config = _policy.Config;
        var schedule = new CosineDecayWithWarmup(options.LearningRate, options.LearningRate * config.SchedulerDecayLr / config.OptimizerLr,
            Math.Min(config.SchedulerWarmupSteps, options.Steps / 10), options.Steps);
        using var optimizer = LocalOptimizers.Create(options with { LearningRate = schedule.LearningRate(0) }, parameters, config.OptimizerEps);
        using var generator = new Generator((ulong)options.Seed);
        _policy.train();
        try
        {
            return LocalTrainingLoop.Run("SmolVLA", batches, options, weights, parameters, optimizer,
                batch =>
                {
                    var onDevice = batch.To(_device);
                    var (inputs, actions) = _inputs.Prepare(onDevice);
                    return _policy.Loss(inputs, actions, onDevice.ActionIsPad, generator);
                },
                beforeStep: step => { foreach (var group in optimizer.ParamGroups) group.LearningRate = schedule.LearningRate(step); },
                cancellationToken);
        }
        finally
        {
            _policy.eval();
        }
    }

    public PolicyEvaluationResult Evaluate(IEnumerable<PolicyBatch> batches, PolicyEvaluationOptions options, CancellationToken cancellationToken = default)
    {
        _policy.eval();
        using var _ = no_grad();
        var config = _policy.Config;
        double lossSum = 0, errorSum = 0;
        long examples = 0;
        var count = 0;
        foreach (var batch in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (batch)
            using (var scope = NewDisposeScope())
            {
                var onDevice = batch.To(_device);
                var (inputs, actions) = _inputs.Prepare(onDevice);
                var (noise, time, samplingNoise) = EvaluationNoise.For(options.Seed, examples, batch.Size, config.ChunkSize, config.MaxActionDim);
                var losses = _policy.Loss(inputs, actions, onDevice.ActionIsPad, noise.to(_device), time.to(_device), perSample: true);
                lossSum += losses.to(ScalarType.Float64).sum().item<double>();

                var predicted = _policy.PredictActionChunk(inputs, samplingNoise.to(_device));
                var errors = PolicyLoss.Reduce((predicted - onDevice.Actions).abs(), config.ActionDim, onDevice.ActionIsPad, perSample: true);
                errorSum += errors.to(ScalarType.Float64).sum().item<double>();
                examples += batch.Size;
                count++;
            }
        }
        return examples == 0
            ? new PolicyEvaluationResult(double.NaN, 0, count)
            : new PolicyEvaluationResult(lossSum / examples, examples, count, errorSum / examples);
    }

    public Tensor PredictActionChunk(PolicyObservation observation, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(observation);
        _policy.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var config = _policy.Config;
        var inputs = _inputs.Prepare(observation.To(_device));
        var noise = FlowMatchingNoise.SampleNoise([observation.Size, config.ChunkSize, config.MaxActionDim], _device, generator);
        var chunk = _policy.PredictActionChunk(inputs, noise);
        return chunk.to(CPU).MoveToOuterDisposeScope();
    }

    public void Dispose() => _policy.Dispose();
}
