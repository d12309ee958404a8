using System.Text.Json.Nodes;
using Zk0.Datasets.Reading;
using Zk0.Datasets.Validation;
using Zk0.Datasets.Writing;

namespace Zk0.Tests.Datasets.Reading;

/// <summary>Variants seen in real repositories, rebuilt by hand from writer output.</summary>
public class LayoutVariantTests
{
    private static async Task EditInfo(string root, Action<JsonObject> edit)
    {
        var path = Path.Combine(root, "meta", "info.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
        edit(json);
        await File.WriteAllTextAsync(path, json.ToJsonString());
    }

    [Fact]
    public async Task ACustomV21WithChunkIndexTemplateFloat64TimestampsNestedNamesAndVideoInfoReads()
    {
        var root = await TestDatasets.WriteAsync("custom-v21", new LeRobotWriterOptions { Layout = LayoutVersion.V21, Cameras = CameraEncoding.H264 }, [4, 3]);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "data"), "*.parquet", SearchOption.AllDirectories))
            await ParquetFixture.RewriteAsync(file, columns =>
            {
                var timestamp = columns.Get("timestamp");
                columns[columns.IndexOf(timestamp)] = timestamp with { Kind = ParquetFixture.Kind.Double };
                columns.Add(new ParquetFixture.Column("next.done", ParquetFixture.Kind.Bool, timestamp.Rows.Select((_, i) => new[] { i == timestamp.Rows.Count - 1 ? 1.0 : 0.0 }).ToList()));
            });
        await EditInfo(root, info =>
        {
            info["codebase_version"] = "2.1.0";
            info["fps"] = 10.0;
            info["data_path"] = "data/chunk-{chunk_index:03d}/episode_{episode_index:06d}.parquet";
            info["some_future_key"] = "ignored";
            var features = info["features"]!.AsObject();
            features["observation.state"]!["names"] = new JsonArray(new JsonArray("a", "b", "c", "d", "e", "f"));
            features["action"]!["names"] = new JsonObject { ["motors"] = new JsonArray("a", "b", "c", "d", "e", "f") };
            var camera = features[TestDatasets.Camera]!.AsObject();
            var videoInfo = camera["info"]!.DeepClone();
            camera.Remove("info");
            camera["video_info"] = videoInfo;
            features["timestamp"]!["dtype"] = "float64";
            features["next.done"] = new JsonObject { ["dtype"] = "bool", ["shape"] = new JsonArray(1), ["names"] = null };
        });

        using var dataset = await LeRobotDataset.OpenAsync(root);

        Assert.Equal(new Version(2, 1, 0), dataset.Info.Version);
        Assert.Equal(6, dataset.Info.Find("observation.state")!.Names.Count);
        Assert.Equal(6, dataset.Info.Find("action")!.Names.Count);
        Assert.Equal("h264", dataset.Info.Find(TestDatasets.Camera)!.Video!.Codec);
        Assert.Equal(0.2, dataset.Timestamp(dataset.RowOf(1, 2)), 6);
        Assert.Equal([1f], dataset.Vector("next.done", dataset.RowOf(0, 3)));
        TestDatasets.AssertColour(dataset.ReadFrame(TestDatasets.Camera, dataset.RowOf(1, 2)), 1, 2);
        var report = await DatasetValidator.ValidateAsync(root);
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
    }

    [Fact]
    public async Task AV3WithPandasVariableListsSeveralRowGroupsAndAnUnnamedTaskIndexReads()
    {
        var root = await TestDatasets.WriteAsync("pandas-v3", new LeRobotWriterOptions { TasksColumnName = "__index_level_0__" }, [5, 4, 3],
            tasks: ["pick the red cube", "stack the blue cube"], spec: TestDatasets.Spec(cameras: 0));
        var data = Path.Combine(root, "data/chunk-000/file-000.parquet");
        var columns = await ParquetFixture.ReadAsync(data);
        await ParquetFixture.WriteAsync(data, columns, rowGroups: [2, 5, 5], metadata: new() { ["pandas"] = "{\"index_columns\": []}" });

        using var dataset = await LeRobotDataset.OpenAsync(root);

        Assert.Equal(["pick the red cube", "stack the blue cube"], dataset.Metadata.Tasks.OrderBy(t => t.Key).Select(t => t.Value));
        Assert.Equal("stack the blue cube", dataset.Task(dataset.RowOf(1, 0)));
        Assert.Equal(12, dataset.FrameCount);
        Assert.Equal([2f, 2f], dataset.Vector("observation.state", dataset.RowOf(2, 2))[..2]);
        Assert.True((await DatasetValidator.ValidateAsync(root)).IsValid);
    }

    [Fact]
    public async Task PerEpisodeStatsOfV21AggregateToTheGlobalStatsOfV30()
    {
        var spec = TestDatasets.Spec(cameras: 0);
        using var v21 = await LeRobotDataset.OpenAsync(await TestDatasets.WriteAsync("stats-v21", new LeRobotWriterOptions { Layout = LayoutVersion.V21 }, [6, 3, 8], spec: spec));
        using var v30 = await LeRobotDataset.OpenAsync(await TestDatasets.WriteAsync("stats-v30", new LeRobotWriterOptions(), [6, 3, 8], spec: spec));

        Assert.False(File.Exists(Path.Combine(v21.Root, "meta", "stats.json")));
        var aggregated = v21.Metadata.Stats["observation.state"];
        var global = v30.Metadata.Stats["observation.state"];
        for (var d = 0; d < 6; d++)
        {
            Assert.Equal(global.Mean[d], aggregated.Mean[d], 9);
            Assert.Equal(global.Std[d], aggregated.Std[d], 9);
            Assert.Equal(global.Min[d], aggregated.Min[d]);
        }
        Assert.Equal(3, v30.Metadata.EpisodeStats.Count);
    }
}
