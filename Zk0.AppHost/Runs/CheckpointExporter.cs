using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Abstractions.Data;
using Zk0.Policy.Checkpoints;

namespace Zk0.AppHost.Runs;

/// <summary>
/// Saves the run's global models as full LeRobot checkpoints (<see cref="GlobalModelCheckpoint"/>): each model blob is
/// downloaded from the Fleet API, and the run's policy is built once from the features of the dataset nodes train on and
/// the run's config as the SuperLink reports it (with the normalization round 1 pooled, which the checkpoint records).
/// </summary>
public sealed class CheckpointExporter(Fleet.FleetClient fleet, string featuresDatasetUri) : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("zk0-apphost-checkpoint-");
    private GlobalModelCheckpoint? _checkpoint;

    public async Task ExportAsync(string modelHash, IReadOnlyDictionary<string, string> config, string directory, string modelCard, CancellationToken cancellationToken)
    {
        if (!ContentHash.IsWellFormed(modelHash))
            throw new ArgumentException($"'{modelHash}' is not a model hash; the run has no committed global model to save.", nameof(modelHash));
        var blob = Path.Combine(_scratch.FullName, modelHash + ".safetensors");
        await BlobTransfer.DownloadToFileAsync(fleet, modelHash, blob, cancellationToken);
        try
        {
            await Task.Run(() =>
            {
                if (_checkpoint is null)
                {
                    var (features, normalization) = DatasetShapes(featuresDatasetUri, RunSettings.From(config));
                    _checkpoint = new GlobalModelCheckpoint(PolicyCatalog.Builtin(), config, features, normalization);
                }
                _checkpoint.Write(blob, directory, new Dictionary<string, string> { [ModelCard.FileName] = modelCard });
            }, cancellationToken);
        }
        finally
        {
            File.Delete(blob);
        }
    }

    /// <summary>
    /// The features nodes see (the dataset's shapes under the PolicyData settings the graph's services read from the
    /// environment) and the normalization the run trains with.
    /// </summary>
    private static (PolicyFeatures Features, CheckpointNormalization? Normalization) DatasetShapes(string uri, RunSettings settings)
    {
        var options = new PolicyDataOptions();
        if (int.TryParse(System.Environment.GetEnvironmentVariable("PolicyData__ChunkSize"), out var chunk)) options.ChunkSize = chunk;
        if (System.Environment.GetEnvironmentVariable("PolicyData__SyntheticCacheDirectory") is { Length: > 0 } cache) options.SyntheticCacheDirectory = cache;
        using var dataset = new LeRobotPolicyDatasetSource(options).Open(uri, DatasetSplit.Train);
        return (dataset.Features, CheckpointNormalization.OfRun(dataset, settings));
    }

    public void Dispose()
    {
        _checkpoint?.Dispose();
        try
        {
            _scratch.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
