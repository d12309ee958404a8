using System.Text.Json;
using Zk0.AppHost.Runs;

namespace Zk0.Tests.AppHost.Runs;

/// <summary>How the run's outputs point at the evaluation videos saved under evaluate/round-N/{task}/.</summary>
public sealed class EvaluationVideoOutputsTests
{
    private static readonly EvaluationVideoFile[] Videos =
    [
        new(2, "red-cube-to-left-bin", 0, "evaluate/round-2/red-cube-to-left-bin/episode-0.mp4", "evaluate/round-2/red-cube-to-left-bin/episode-0.json", true, 120, 4),
        new(2, "blue-cube-to-right-bin", 0, "evaluate/round-2/blue-cube-to-right-bin/episode-0.mp4", "evaluate/round-2/blue-cube-to-right-bin/episode-0.json", false, 300, 10),
        new(1, "red-cube-to-left-bin", 0, "evaluate/round-1/red-cube-to-left-bin/episode-0.mp4", "evaluate/round-1/red-cube-to-left-bin/episode-0.json", false, 300, 10),
    ];

    private static readonly Dictionary<string, string> Config = new() { ["policy"] = "bc", ["num-server-rounds"] = "2" };

    private static string Card(IReadOnlyList<EvaluationVideoFile>? videos) =>
        ModelCard.Write(new ModelCardFacts(SampleRun.RunId, "completed", 2, true, SampleRun.Hash(2), Config, SampleRun.Nodes(), SampleRun.NodeDatasets, null, videos));

    [Fact]
    public void The_model_card_links_the_rounds_videos_from_its_checkpoint_folder_with_their_outcomes()
    {
        var card = Card(Videos.Where(v => v.Round == 2).ToList());

        Assert.Contains("## Evaluation videos (round 2)", card);
        Assert.Contains("| red-cube-to-left-bin | 0 | success | 120 | 4 | [evaluate/round-2/red-cube-to-left-bin/episode-0.mp4](../../evaluate/round-2/red-cube-to-left-bin/episode-0.mp4) |", card);
        Assert.Contains("| blue-cube-to-right-bin | 0 | failure | 300 | 10 |", card);
        Assert.DoesNotContain("round-1", card);
    }

    [Fact]
    public void A_card_without_videos_has_no_video_section()
    {
        Assert.DoesNotContain("Evaluation videos", Card(null));
        Assert.DoesNotContain("Evaluation videos", Card([]));
    }

    [Fact]
    public void Run_json_lists_every_saved_video_by_round_task_and_episode()
    {
        var description = new RunDescription(SampleRun.RunId, DateTimeOffset.UnixEpoch, "completed", null, Config, SampleRun.Nodes(), SampleRun.NodeDatasets,
            EvaluationSeed: 0, RuntimeVersions.Current(), Videos: Videos);
        using var stream = new MemoryStream();

        RunJsonFile.Write(description, stream);

        using var json = JsonDocument.Parse(stream.ToArray());
        var listed = json.RootElement.GetProperty("evaluation_videos").EnumerateArray().ToList();
        Assert.Equal(["evaluate/round-1/red-cube-to-left-bin/episode-0.mp4", "evaluate/round-2/blue-cube-to-right-bin/episode-0.mp4", "evaluate/round-2/red-cube-to-left-bin/episode-0.mp4"],
            listed.Select(v => v.GetProperty("video").GetString()));
        Assert.Equal([false, false, true], listed.Select(v => v.GetProperty("success").GetBoolean()));
        Assert.Equal("evaluate/round-2/red-cube-to-left-bin/episode-0.json", listed[2].GetProperty("info").GetString());
        Assert.Equal((2, 120, 4.0), (listed[2].GetProperty("round").GetInt32(), listed[2].GetProperty("steps").GetInt32(), listed[2].GetProperty("duration_seconds").GetDouble()));
    }
}
