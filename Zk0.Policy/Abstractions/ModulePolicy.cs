using System.Text.Json.Nodes;
using TorchSharp;
using Zk0.Federation.Safetensors;
using Zk0.Policy.Checkpoints;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// <see cref="IFederatedPolicy"/> for any <see cref="PolicyModule"/>: AdamW local training with gradient
/// clipping and the optional FedProx term, deterministic evaluation, and safetensors exchange of the
/// trainable parameters.
/// </summary>
public sealed class ModulePolicy : IFederatedPolicy
{
    private readonly PolicyModule _module;
    private readonly Device _device;
    private readonly JsonObject _checkpointConfig;

    /// <param name="checkpointConfig">The <c>config.json</c> a saved checkpoint carries (what the factory needs to rebuild the module).</param>
    public ModulePolicy(string policyType, PolicyFeatures features, PolicyModule module, Device? device = null, JsonObject? checkpointConfig = null)
    {
        _checkpointConfig = checkpointConfig ?? new JsonObject { ["type"] = policyType };
        PolicyType = policyType;
        Features = features;
        _device = device ?? CPU;
        _module = module;
        _module.to(_device);
        TrainableTensors = _module.named_parameters()
            .Where(p => p.parameter.requires_grad)
            .Select(p => (p.name, (Tensor)p.parameter))
            .ToList();
    }

    public string PolicyType { get; }

    public PolicyFeatures Features { get; }

    public IReadOnlyList<(string Name, Tensor Tensor)> TrainableTensors { get; }

    public void ExportTrainable(string path, SafetensorsDType wireDType = SafetensorsDType.F32, IReadOnlyList<(string Name, Tensor Tensor)>? alongside = null) =>
        TrainableTensorFile.Export(path, PolicyType, [.. TrainableTensors, .. alongside ?? []], wireDType);

    public void ImportTrainable(string path, IReadOnlyList<(string Name, Tensor Tensor)>? alongside = null) =>
        TrainableTensorFile.Import(path, [.. TrainableTensors, .. alongside ?? []]);

    public void SaveCheckpoint(string directory) =>
        LeRobotCheckpoint.Save(directory, (JsonObject)_checkpointConfig.DeepClone(), StateTensors(_module),
            new Dictionary<string, string> { [TrainableTensorFile.PolicyTypeMetadataKey] = PolicyType });

    /// <summary>Parameters and buffers by name: the module's full state dict.</summary>
    public static IEnumerable<KeyValuePair<string, Tensor>> StateTensors(nn.Module module) =>
        module.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter))
            .Concat(module.named_buffers().Select(b => new KeyValuePair<string, Tensor>(b.name, b.buffer)));

    public LocalTrainingResult Train(IEnumerable<PolicyBatch> batches, LocalTrainingOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var weights = TrainableTensors.Select(t => t.Tensor).ToList();
        var parameters = _module.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = LocalOptimizers.Create(options, parameters, adamEpsilon: 1e-8);
        // A CPU generator: a CUDA one cannot be created this way, and CPU draws are the same on every device.
        using var generator = new Generator((ulong)options.Seed);
        _module.train();
        try
        {
            return LocalTrainingLoop.Run(PolicyType, batches, options, weights, parameters, optimizer,
                batch => _module.ComputeLoss(batch.To(_device), generator), beforeStep: null, cancellationToken);
        }
        finally
        {
            _module.eval();
        }
    }

    public PolicyEvaluationResult Evaluate(IEnumerable<PolicyBatch> batches, PolicyEvaluationOptions options, CancellationToken cancellationToken = default)
    {
        _module.eval();
        using var _ = no_grad();
        using var generator = new Generator((ulong)options.Seed);
        double weightedLoss = 0;
        long examples = 0;
        var count = 0;
        foreach (var batch in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (batch)
            using (var scope = NewDisposeScope())
            {
                var loss = _module.ComputeLoss(batch.To(_device), generator).item<float>();
                weightedLoss += loss * batch.Size;
                examples += batch.Size;
                count++;
            }
        }
        return new PolicyEvaluationResult(examples == 0 ? double.NaN : weightedLoss / examples, examples, count);
    }

    public Tensor PredictActionChunk(PolicyObservation observation, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(observation);
        _module.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var chunk = _module.PredictActionChunk(observation.To(_device), generator);
        return chunk.to(CPU).MoveToOuterDisposeScope();
    }

    public void Dispose() => _module.Dispose();
}
