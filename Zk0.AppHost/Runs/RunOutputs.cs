using System.Text.Json;
using Zk0.Federation.Protocol;

namespace Zk0.AppHost.Runs;

/// <summary>
/// Everything the AppHost writes for one run into <c>DIR/&lt;run-id&gt;/</c>: run.json (at submit, refreshed at the
/// end with the final status), metrics.json and charts/*.png (after every evaluated or checkpointed round, after others
/// at most every <see cref="RefreshInterval"/>, and at the end), and checkpoints/round-N
/// every <c>checkpoint-interval</c> rounds plus checkpoints/final, and each evaluated round's videos under
/// evaluate/round-N/{task}/ (listed in run.json and the model cards). Failures to write charts, checkpoints or videos are
/// reported and do not stop the run.
/// </summary>
public sealed class RunOutputs : IDisposable
{
    public const string CheckpointsDirectoryName = "checkpoints";

    private readonly Control.ControlClient _control;
    private readonly string _runId;
    private readonly IReadOnlyDictionary<string, string> _config;
    private readonly IReadOnlyList<string> _nodeDatasets;
    private readonly IReadOnlyList<string> _evalDatasets;
    private readonly CheckpointSchedule _schedule;
    private readonly CheckpointExporter _exporter;
    private readonly Action<string> _report;
    private readonly EvaluationVideoDownloader? _videoDownloader;
    private readonly List<EvaluationVideoFile> _videos = [];
    private readonly HashSet<int> _savedRounds = [];
    private readonly Zk0.Federation.Runs.RunConfiguration _configuration;
    private readonly RefreshPace _pace;
    private IReadOnlyList<RunNode> _nodes;
    private RunDetail? _lastKnown;

    public RunOutputs(Control.ControlClient control, Fleet.FleetClient fleet, string outputDirectory, string runId,
        IReadOnlyDictionary<string, string> config, IReadOnlyList<string> nodeDatasets, Action<string> report,
        EvaluationVideoDownloader? videoDownloader = null)
    {
        (_control, _runId, _config, _nodeDatasets, _report, _videoDownloader) = (control, runId, config, nodeDatasets, report, videoDownloader);
        Directory = Path.Combine(Path.GetFullPath(outputDirectory), runId);
        _evalDatasets = EvalDatasets.Of(config, nodeDatasets);
        _schedule = CheckpointSchedule.From(config);
        _configuration = Zk0.Federation.Runs.RunConfiguration.Parse(config);
        _pace = new RefreshPace(RefreshInterval, TimeProvider.System);
        _exporter = new CheckpointExporter(fleet, _evalDatasets.Count > 0 ? _evalDatasets[0] : nodeDatasets[0]);
        _nodes = nodeDatasets.Select((uri, i) => new RunNode(i, uri, "", "")).ToList();
    }

    /// <summary>The longest metrics.json and the charts lag the run between evaluated or checkpointed rounds.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    public string Directory { get; }

    public string MetricsPath => Path.Combine(Directory, "metrics.json");

    /// <summary>The evaluation videos saved so far, by round.</summary>
    public IReadOnlyList<EvaluationVideoFile> Videos => _videos;

    public string CheckpointPath(string name) => Path.Combine(Directory, CheckpointsDirectoryName, name);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var run = await _control.GetRunAsync(new GetRunRequest { RunId = _runId }, cancellationToken: cancellationToken);
        _lastKnown = run;
        await WriteRunJsonAsync(run, cancellationToken);
    }

    /// <summary>The SuperLink no longer has the run: run.json and metrics.json say "lost", why, and what was known of it.</summary>
    public async Task MarkLostAsync(string reason, CancellationToken cancellationToken)
    {
        if (_lastKnown is null) return;
        MetricsFile.Write(_lastKnown, Path.GetDirectoryName(Directory)!, reason);
        await WriteRunJsonAsync(_lastKnown, cancellationToken, reason);
    }

    /// <summary>
    /// After a round: refresh metrics.json and the charts (when <see cref="RefreshInterval"/> has passed, or the round is
    /// evaluated or checkpointed), copy the round's evaluation videos when it was evaluated, and
    /// save the round's checkpoint when the schedule says so.
    /// </summary>
    public async Task RoundCompletedAsync(int round, CancellationToken cancellationToken)
    {
        var checkpointDue = _schedule.SavesRound(round) && !_savedRounds.Contains(round);
        if (!_pace.Due(required: _configuration.EvaluatesRound(round) || checkpointDue)) return;
        var run = await _control.GetRunAsync(new GetRunRequest { RunId = _runId }, cancellationToken: cancellationToken);
        _lastKnown = run;
        var metrics = WriteMetrics(run);
        var record = run.Rounds.FirstOrDefault(r => r.Round == round);
        if (record?.Eval is not null && await DownloadVideosAsync(round, cancellationToken))
            await WriteRunJsonAsync(run, cancellationToken);
        if (!checkpointDue) return;
        _savedRounds.Add(round);
        if (record is null || record.ModelHash.Length == 0) return;
        await RefreshNodesAsync(cancellationToken);
        await SaveCheckpointAsync($"round-{round}", run, round, final: false, record.ModelHash, metrics, cancellationToken);
    }

    /// <summary>When the run has ended: metrics.json, charts, checkpoints/final (when a round committed a model) and run.json with the final status.</summary>
    public async Task<RunDetail> FinishAsync(CancellationToken cancellationToken)
    {
        var run = await _control.GetRunAsync(new GetRunRequest { RunId = _runId }, cancellationToken: cancellationToken);
        var metrics = WriteMetrics(run);
        await WriteRunJsonAsync(run, cancellationToken);
        var last = run.Rounds.Where(r => r.ModelHash.Length > 0).OrderBy(r => r.Round).LastOrDefault();
        if (last is not null)
            await SaveCheckpointAsync("final", run, last.Round, final: true, last.ModelHash, metrics, cancellationToken);
        return run;
    }

    private async Task WriteRunJsonAsync(RunDetail run, CancellationToken cancellationToken, string? lost = null)
    {
        await RefreshNodesAsync(cancellationToken);
        var description = new RunDescription(
            _runId,
            DateTimeOffset.FromUnixTimeMilliseconds(run.Summary.CreatedUnixMs),
            lost is null ? MetricsFile.StatusName(run.Summary.Status) : MetricsFile.LostStatus,
            lost ?? (run.Summary.Message.Length > 0 ? run.Summary.Message : null),
            RunConfig(run),
            _nodes,
            _evalDatasets,
            EvaluationSeed(),
            RuntimeVersions.Current(),
            EvalDatasets.UnseenOf(_config, _nodeDatasets),
            _videos);
        RunJsonFile.Write(description, Path.Combine(Directory, RunJsonFile.FileName));
    }

    private async Task RefreshNodesAsync(CancellationToken cancellationToken)
    {
        if (_nodes.All(n => n.DatasetId.Length > 0)) return;
        _nodes = RunNode.Match(_nodeDatasets, await ControlListing.AllNodesAsync(_control, includeExpired: true, cancellationToken: cancellationToken));
    }

    private JsonElement WriteMetrics(RunDetail run)
    {
        MetricsFile.Write(run, Path.GetDirectoryName(Directory)!);
        using var document = JsonDocument.Parse(File.ReadAllBytes(MetricsPath));
        var metrics = document.RootElement.Clone();
        try
        {
            RunCharts.Write(metrics, Directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            _report($"charts not written: {ex.Message}");
        }
        return metrics;
    }

    /// <summary>The SuperLink's view of the config: as submitted plus the normalization round 1 pooled (so checkpoints and zk0 compare use it).</summary>
    private IReadOnlyDictionary<string, string> RunConfig(RunDetail run) => run.Summary.Config.Count > 0 ? run.Summary.Config : _config;

    private async Task SaveCheckpointAsync(string name, RunDetail run, int round, bool final, string modelHash, JsonElement metrics, CancellationToken cancellationToken)
    {
        var roundMetrics = metrics.GetProperty("rounds").EnumerateArray().Where(r => r.GetProperty("round").GetInt32() == round).Select(r => (JsonElement?)r).FirstOrDefault();
        var card = ModelCard.Write(new ModelCardFacts(_runId, MetricsFile.StatusName(run.Summary.Status), round, final, modelHash,
            _config, _nodes, _evalDatasets, roundMetrics, _videos.Where(v => v.Round == round).ToList()));
        var path = CheckpointPath(name);
        try
        {
            await _exporter.ExportAsync(modelHash, RunConfig(run), path, card, cancellationToken);
            _report($"checkpoint {name} (round {round}, model {modelHash[..12]}) written to {path}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _report($"checkpoint {name} not written: {ex.Message}");
        }
    }

    /// <summary>True when the round had videos and they were saved.</summary>
    private async Task<bool> DownloadVideosAsync(int round, CancellationToken cancellationToken)
    {
        if (_videoDownloader is null || _videos.Any(v => v.Round == round)) return false;
        try
        {
            var saved = await _videoDownloader.DownloadRoundAsync(_runId, round, Directory, cancellationToken);
            _videos.AddRange(saved);
            if (saved.Count > 0) _report($"{saved.Count} evaluation video(s) of round {round} written to {Path.Combine(Directory, EvaluationVideoDownloader.DirectoryName, $"round-{round}")}");
            return saved.Count > 0;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidDataException or System.Text.Json.JsonException or TaskCanceledException
                                   && !cancellationToken.IsCancellationRequested)
        {
            _report($"evaluation videos of round {round} not written: {ex.Message}");
            return false;
        }
    }

    // The Evaluator's Evaluator:EvaluationSeed, which the graph's services read from the environment (default 0).
    private static long EvaluationSeed() =>
        long.TryParse(System.Environment.GetEnvironmentVariable("Evaluator__EvaluationSeed"), out var seed) ? seed : 0;

    public void Dispose() => _exporter.Dispose();
}
