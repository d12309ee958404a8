using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Zk0.Evaluator.Evaluations;
using Zk0.Evaluator.Worker;
using Zk0.Federation.Blobs;
using Zk0.Federation.Protocol;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Checkpoints;
using Zk0.Policy.Evaluation;

namespace Zk0.Evaluator.Checkpoints;

/// <summary>
/// Builds a run's committed global model into a LeRobot checkpoint tar: the run comes from the Control API, the model
/// blob from the Fleet API, the features from the run's first held-out dataset. Finished tars are kept in
/// <c>WorkDirectory/checkpoints</c> (the <see cref="EvaluatorOptions.CheckpointCacheCount"/> most recently asked for), so
/// asking again for the same model serves the file without building the policy.
/// </summary>
/// <remarks>
/// One build at a time, and builds take turns with scoring (<see cref="PolicyWorkGate"/>): each holds a whole policy.
/// </remarks>
public sealed partial class CheckpointArchives(
    Control.ControlClient control,
    Federation.Protocol.Fleet.FleetClient fleet,
    PolicyCatalog catalog,
    HeldOutSets heldOut,
    PolicyWorkGate policyGate,
    IOptions<EvaluatorOptions> options,
    ILogger<CheckpointArchives> logger) : IDisposable
{
    private readonly EvaluatorOptions _options = options.Value;
    private readonly SemaphoreSlim _build = new(1, 1);
    private readonly Lock _cache = new();

    private string CacheDirectory => Path.Combine(_options.WorkDirectory, "checkpoints");

    /// <exception cref="CheckpointUnavailableException">The run, the round or its model does not exist (yet).</exception>
    public async Task<CheckpointArchive> GetAsync(string runId, int? round, CancellationToken cancellationToken)
    {
        var run = await GetRunAsync(runId, cancellationToken);
        var model = CommittedModel.Of(run, round);
        var cached = Path.Combine(CacheDirectory, CacheFileName(model));
        if (OpenCached(cached) is { } hit) return new CheckpointArchive(model, hit);

        await _build.WaitAsync(cancellationToken);
        try
        {
            if (OpenCached(cached) is { } builtMeanwhile) return new CheckpointArchive(model, builtMeanwhile);
            await BuildAsync(run, model, cached, cancellationToken);
            return new CheckpointArchive(model, OpenCached(cached) ?? throw new IOException($"Checkpoint archive {cached} vanished right after it was written."));
        }
        finally
        {
            _build.Release();
        }
    }

    private async Task<RunDetail> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            return await control.GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: cancellationToken);
        }
        catch (RpcException error) when (error.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            throw new CheckpointUnavailableException(StatusCodes.Status404NotFound, $"No run '{runId}' on this federation; `zk0 run ls` lists them.");
        }
        catch (RpcException error)
        {
            throw SuperLinkUnreachable("Control API", error);
        }
    }

    private async Task DownloadModelAsync(CommittedModel model, string path, CancellationToken cancellationToken)
    {
        try
        {
            await BlobTransfer.DownloadToFileAsync(fleet, model.ModelHash, path, BlobCaller.Operator, cancellationToken);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.NotFound)
        {
            throw new CheckpointUnavailableException(StatusCodes.Status410Gone,
                $"The SuperLink no longer holds model {model.ModelHash} of run '{model.RunId}' round {model.Round} ({error.Status.Detail}); pull another round.");
        }
        catch (RpcException error)
        {
            throw SuperLinkUnreachable("Fleet API", error);
        }
    }

    private static CheckpointUnavailableException SuperLinkUnreachable(string api, RpcException error) =>
        new(StatusCodes.Status503ServiceUnavailable,
            $"The Evaluator could not reach the SuperLink's {api} ({error.StatusCode}: {error.Status.Detail}); try again shortly.");

    private async Task BuildAsync(RunDetail run, CommittedModel model, string archivePath, CancellationToken cancellationToken)
    {
        // Builds take turns (_build), so they share one staging folder; one a crashed Evaluator left behind goes first.
        var staging = Path.Combine(_options.WorkDirectory, "checkpoint-staging");
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        try
        {
            var blob = Path.Combine(staging, "model.safetensors");
            await DownloadModelAsync(model, blob, cancellationToken);
            var folder = Path.Combine(staging, "checkpoint");
            var config = run.Summary.Config;
            await policyGate.RunAsync(() =>
            {
                var dataset = heldOut.Get(EvaluationDatasets.For(config, _options)[0]);
                var normalization = CheckpointNormalization.OfRun(dataset, RunSettings.From(config));
                using var checkpoint = new GlobalModelCheckpoint(catalog, config, dataset.Features, normalization);
                var readme = CheckpointReadme.Write(model, RunSettings.From(config).PolicyType);
                checkpoint.Write(blob, folder, new Dictionary<string, string> { [CheckpointReadme.FileName] = readme });
                return folder;
            }, cancellationToken);
            var tar = Path.Combine(staging, "checkpoint.tar");
            await TarFile.CreateFromDirectoryAsync(folder, tar, includeBaseDirectory: false, cancellationToken);
            lock (_cache)
            {
                Directory.CreateDirectory(CacheDirectory);
                File.Move(tar, archivePath, overwrite: true);
                EvictAllBut(_options.CheckpointCacheCount, archivePath);
            }
            LogBuilt(model.RunId, model.Round, model.ModelHash);
        }
        catch (Exception error) when (error is not (CheckpointUnavailableException or OperationCanceledException))
        {
            LogBuildFailed(model.RunId, model.Round, model.ModelHash, error);
            throw new CheckpointUnavailableException(StatusCodes.Status500InternalServerError,
                $"The Evaluator could not build the checkpoint of run '{model.RunId}' round {model.Round} (model {model.ModelHash}): {error.Message}");
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private FileStream? OpenCached(string path)
    {
        lock (_cache)
        {
            if (!File.Exists(path)) return null;
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            // Delete sharing: evicting the file while it is still being sent must not fail (nor cut the response).
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, useAsync: true);
        }
    }

    private void EvictAllBut(int keep, string newest)
    {
        var stale = new DirectoryInfo(CacheDirectory).GetFiles("*.tar")
            .Where(f => f.FullName != newest)
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .Skip(Math.Max(0, keep - 1));
        foreach (var file in stale) file.Delete();
    }

    /// <summary>The model hash alone is not enough: the frozen tensors and the model card come from the run.</summary>
    private static string CacheFileName(CommittedModel model)
    {
        var run = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(model.RunId)))[..16];
        return $"{model.ModelHash}-{run}-round-{model.Round}.tar";
    }

    [LoggerMessage(LogLevel.Information, "Run {RunId} round {Round}: checkpoint of model {ModelHash} built")]
    private partial void LogBuilt(string runId, int round, string modelHash);

    [LoggerMessage(LogLevel.Error, "Run {RunId} round {Round}: checkpoint of model {ModelHash} not built")]
    private partial void LogBuildFailed(string runId, int round, string modelHash, Exception error);

    public void Dispose() => _build.Dispose();
}
