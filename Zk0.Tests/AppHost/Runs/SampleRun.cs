using System.Text.Json;
using Zk0.AppHost.Runs;
using Zk0.Federation.Protocol;

namespace Zk0.Tests.AppHost.Runs;

/// <summary>A finished 3-round run as the Control API returns it, and its metrics.json, for the output writers' tests.</summary>
public static class SampleRun
{
    public const string RunId = "run-0001";
    public static readonly string[] NodeDatasets = ["synth:pick-place-0", "synth:pick-place-1"];
    public static readonly string[] DatasetIds = ["ds-aaaaaaaaaaaaaaaaaaaaaaaa", "ds-bbbbbbbbbbbbbbbbbbbbbbbb"];

    public static string Hash(int i) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([(byte)i]));

    public static RunDetail Detail(bool withSuccessRate = false, bool withActionError = true)
    {
        var run = new RunDetail
        {
            Summary = new RunSummary { RunId = RunId, Status = RunStatus.Completed, NumServerRounds = 3, CompletedRounds = 3, GlobalModelHash = Hash(3) },
            InitialModelHash = Hash(0),
        };
        run.Summary.Config["num-server-rounds"] = "3";
        for (var r = 1; r <= 3; r++)
        {
            var round = new RoundRecord { Round = r, BaseModelHash = Hash(r - 1), ModelHash = Hash(r), ModelSizeBytes = 1000 };
            for (var n = 0; n < 2; n++)
            {
                var train = new NodeTrainResult { NodeId = $"node-id-{n}", DatasetId = DatasetIds[n], NumExamples = 8, UpdateHash = Hash(10 * r + n), BaseModelHash = Hash(r - 1) };
                train.Metrics["loss"] = 1.0 / r + n * 0.1;
                round.Train.Add(train);
            }
            round.TrainMetrics["loss"] = 1.0 / r;
            var eval = new Evaluation { Loss = 0.9 / r, ModelHash = Hash(r) };
            if (withActionError) eval.Metrics["action_error"] = 0.5 / r;
            if (withSuccessRate) eval.Metrics["success_rate"] = 0.2 * r;
            foreach (var uri in NodeDatasets)
            {
                var dataset = new DatasetEvaluation { Loss = 0.8 / r, NumExamples = 4 };
                if (withActionError) dataset.Metrics["action_error"] = 0.4 / r;
                if (withSuccessRate) dataset.Metrics["success_rate"] = 0.25 * r;
                eval.Datasets[uri] = dataset;
            }
            round.Eval = eval;
            run.Rounds.Add(round);
        }
        return run;
    }

    public static JsonElement MetricsJson(RunDetail run)
    {
        using var stream = new MemoryStream();
        MetricsFile.Write(run, stream);
        using var document = JsonDocument.Parse(stream.ToArray());
        return document.RootElement.Clone();
    }

    public static IReadOnlyList<RunNode> Nodes() =>
        NodeDatasets.Select((uri, i) => new RunNode(i, uri, DatasetIds[i], $"node-id-{i}")).ToList();
}
