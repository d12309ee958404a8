using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Abstractions.Data;
using Zk0.Policy.Checkpoints;

namespace Zk0.AppHost.Runs;

/// <summary>
/// Turns a run's global model (a blob of trainable tensors only) into a full LeRobot checkpoint: the run's policy is
/// built once as nodes build it (same policy settings, seed and dataset features, so the frozen tensors agree), the
/// model's trainable tensors are imported, and the whole state dict is saved with the model card.
/// </summary>
public sealed class CheckpointExporter(Fleet.FleetClient fleet, IReadOnlyDictionary<string, string> config, string featuresDatasetUri) : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("zk0-apphost-checkpoint-");
    private IFederatedPolicy? _policy;

    public async Task ExportAsync(string modelHash, string directory, string modelCard, CancellationToken cancellationToken)
    {
        if (!ContentHash.IsWellFormed(modelHash))
            throw new ArgumentException($"'{modelHash}' is not a model hash; the run has no committed global model to save.", nameof(modelHash));
        var blob = Path.Combine(_scratch.FullName, modelHash + ".safetensors");
        await BlobTransfer.DownloadToFileAsync(fleet, modelHash, blob, cancellationToken);
        try
        {
            await Task.Run(() =>
            {
                var policy = _policy ??= BuildPolicy();
                policy.ImportTrainable(blob);
                PolicyCheckpointWriter.Write(policy, directory, new Dictionary<string, string> { [ModelCard.FileName] = modelCard });
            }, cancellationToken);
        }
        finally
        {
            File.Delete(blob);
        }
    }

    private IFederatedPolicy BuildPolicy()
    {
        var settings = RunSettings.From(config);
        var features = DatasetFeatures(featuresDatasetUri);
        var catalog = PolicyCatalog.Builtin();
        return catalog.Create(settings.PolicyType, new PolicyCreateOptions(features, settings.Raw, settings.Seed));
    }

    /// <summary>The features nodes see: the dataset's shapes under the PolicyData settings the graph's services read from the environment.</summary>
    private static PolicyFeatures DatasetFeatures(string uri)
    {
        var options = new PolicyDataOptions();
        if (int.TryParse(System.Environment.GetEnvironmentVariable("PolicyData__ChunkSize"), out var chunk)) options.ChunkSize = chunk;
        if (System.Environment.GetEnvironmentVariable("PolicyData__SyntheticCacheDirectory") is { Length: > 0 } cache) options.SyntheticCacheDirectory = cache;
        using var dataset = new LeRobotPolicyDatasetSource(options).Open(uri, DatasetSplit.Train);
        return dataset.Features;
    }

    public void Dispose()
    {
        _policy?.Dispose();
        try
        {
            _scratch.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
