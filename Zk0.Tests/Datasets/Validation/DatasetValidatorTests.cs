using System.Text.Json.Nodes;
using Zk0.Datasets.Reading;
using Zk0.Datasets.Validation;
using Zk0.Datasets.Writing;

namespace Zk0.Tests.Datasets.Validation;

public class DatasetValidatorTests
{
    private static readonly LeRobotWriterOptions V3 = new() { Layout = LayoutVersion.V30, MaxEpisodesPerFile = 2 };
    private static readonly LeRobotWriterOptions V21 = new() { Layout = LayoutVersion.V21 };

    private static Task<string> NoCameras(string name, LeRobotWriterOptions options) =>
        TestDatasets.WriteAsync(name, options, [6, 5, 4], spec: TestDatasets.Spec(cameras: 0));

    private static async Task<ValidationProblem> SingleError(string root, string rule)
    {
        var report = await DatasetValidator.ValidateAsync(root);
        Assert.False(report.IsValid);
        return Assert.Single(report.Errors, p => p.Rule == rule);
    }

    private static async Task EditInfo(string root, Action<JsonObject> edit)
    {
        var path = Path.Combine(root, "meta", "info.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
        edit(json);
        await File.WriteAllTextAsync(path, json.ToJsonString());
    }

    [Fact]
    public async Task DatasetsFromTheWriterAreValidInEveryLayout()
    {
        foreach (var options in new[] { V3, V21, new LeRobotWriterOptions { Layout = LayoutVersion.V20 } })
        {
            var report = await DatasetValidator.ValidateAsync(await NoCameras($"valid-{options.Layout}", options));
            Assert.True(report.IsValid, string.Join("\n", report.Problems));
            Assert.Empty(report.Problems);
        }
    }

    [Fact]
    public async Task DoubledRowsAreAWarningAndReadersKeepTheFirstTotalFrames()
    {
        // As after a v2.1 reader globbed data/ of a re-fetched dataset: every frame of the dataset, then every frame again.
        var root = await NoCameras("doubled", new LeRobotWriterOptions());
        var file = Path.Combine(root, "data/chunk-000/file-000.parquet");
        await ParquetFixture.RewriteAsync(file, columns => { foreach (var c in columns) c.Rows.AddRange(c.Rows.ToList()); });

        var report = await DatasetValidator.ValidateAsync(root);

        var warning = Assert.Single(report.Warnings, p => p.Rule == ValidationRules.DoubledRows);
        Assert.Contains("#1875", warning.Message);
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
        using var dataset = LeRobotDataset.Open(root);
        Assert.Equal(15, dataset.FrameCount);
        Assert.Contains(dataset.Warnings, w => w.Contains("#1875"));
    }

    [Fact]
    public async Task FewerRowsThanTotalFramesIsAnError()
    {
        var root = await NoCameras("short", V21);
        await EditInfo(root, info => info["total_frames"] = 20);

        var report = await DatasetValidator.ValidateAsync(root);

        Assert.False(report.IsValid);
        Assert.Contains(report.Errors, p => p.Rule == ValidationRules.RowCount && p.Message.Contains("15 rows in the data files") && p.Message.Contains("total_frames=20"));
    }

    [Fact]
    public async Task ARepeatedIndexIsReportedWithItsFileAndEpisode()
    {
        var root = await NoCameras("index", V3);
        await ParquetFixture.RewriteAsync(Path.Combine(root, "data/chunk-000/file-000.parquet"), columns => columns.Get("index").Rows[8] = [7]);

        var report = await DatasetValidator.ValidateAsync(root);

        var error = Assert.Single(report.Errors, p => p.Rule == ValidationRules.Index && p.Message.Contains("more than once"));
        Assert.Equal("data/chunk-000/file-000.parquet", error.File);
        Assert.Equal(1, error.Episode);
    }

    [Fact]
    public async Task ATimestampOffTheFpsGridIsReported()
    {
        var root = await NoCameras("timestamps", V21);
        await ParquetFixture.RewriteAsync(Path.Combine(root, "data/chunk-000/episode_000001.parquet"), columns => columns.Get("timestamp").Rows[3] = [0.35]);

        var error = await SingleError(root, ValidationRules.Timestamps);
        Assert.Equal((1, "data/chunk-000/episode_000001.parquet"), (error.Episode!.Value, error.File));
    }

    [Fact]
    public async Task AMissingDataFileIsReported()
    {
        var root = await NoCameras("missing", V21);
        File.Delete(Path.Combine(root, "data/chunk-000/episode_000002.parquet"));

        var report = await DatasetValidator.ValidateAsync(root);

        Assert.Contains(report.Errors, p => p.Rule == ValidationRules.MissingFile && p.File == "data/chunk-000/episode_000002.parquet");
        Assert.Contains(report.Errors, p => p.Rule == ValidationRules.Episodes && p.Episode == 2);
        Assert.Throws<Zk0.Datasets.DatasetException>(() => LeRobotDataset.Open(root));
    }

    [Fact]
    public async Task AMissingVideoIsReportedWithItsEpisode()
    {
        var root = await TestDatasets.WriteAsync("missing-video", new LeRobotWriterOptions { Layout = LayoutVersion.V21, Cameras = CameraEncoding.H264 }, [4, 3]);
        File.Delete(Path.Combine(root, $"videos/chunk-000/{TestDatasets.Camera}/episode_000001.mp4"));

        var error = await SingleError(root, ValidationRules.MissingFile);
        Assert.Equal(1, error.Episode);
    }

    [Fact]
    public async Task AVideoShorterThanItsEpisodeIsReported()
    {
        var root = await TestDatasets.WriteAsync("short-video", new LeRobotWriterOptions { Layout = LayoutVersion.V21, Cameras = CameraEncoding.H264 }, [6, 3]);
        var videos = Path.Combine(root, $"videos/chunk-000/{TestDatasets.Camera}");
        File.Copy(Path.Combine(videos, "episode_000001.mp4"), Path.Combine(videos, "episode_000000.mp4"), overwrite: true);

        var error = await SingleError(root, ValidationRules.Video);
        Assert.Equal(0, error.Episode);
    }

    [Fact]
    public async Task AnUnknownExtraFileIsAWarning()
    {
        var root = await NoCameras("extra", V21);
        File.Copy(Path.Combine(root, "data/chunk-000/episode_000000.parquet"), Path.Combine(root, "data/chunk-000/backup.parquet"));

        var report = await DatasetValidator.ValidateAsync(root);

        Assert.True(report.IsValid);
        Assert.Contains(report.Warnings, p => p.Rule == ValidationRules.ExtraFile && p.File == "data/chunk-000/backup.parquet");
    }

    [Fact]
    public async Task V3FilesInsideAV21DatasetAreAMixedLayoutError()
    {
        var root = await NoCameras("mixed", V21);
        var v3 = await NoCameras("mixed-source", V3);
        File.Copy(Path.Combine(v3, "data/chunk-000/file-000.parquet"), Path.Combine(root, "data/chunk-000/file-000.parquet"));

        var error = await SingleError(root, ValidationRules.MixedLayout);
        Assert.Equal("data/chunk-000/file-000.parquet", error.File);
        // The reader picks files through the template, so it is not fooled into doubling the rows.
        using var dataset = LeRobotDataset.Open(root);
        Assert.Equal(15, dataset.FrameCount);
    }

    [Fact]
    public async Task AV2EpisodesTableInsideAV3DatasetIsAMixedLayoutError()
    {
        var root = await NoCameras("mixed-meta", V3);
        await File.WriteAllTextAsync(Path.Combine(root, "meta", "episodes.jsonl"), "{\"episode_index\": 0, \"tasks\": [\"x\"], \"length\": 6}\n");

        var error = await SingleError(root, ValidationRules.MixedLayout);
        Assert.Equal("meta/episodes.jsonl", error.File);
    }

    [Fact]
    public async Task AVectorWiderThanItsDeclaredShapeIsReported()
    {
        var root = await NoCameras("shape", V21);
        await EditInfo(root, info => info["features"]!["observation.state"]!["shape"] = new JsonArray(7));

        var report = await DatasetValidator.ValidateAsync(root);

        var errors = report.Errors.Where(p => p.Rule == ValidationRules.Shape).ToList();
        Assert.Equal([0, 1, 2], errors.Select(e => e.Episode!.Value));
        Assert.Equal("data/chunk-000/episode_000001.parquet", errors[1].File);
        Assert.Contains("[7]", errors[0].Message);
    }

    [Fact]
    public async Task AVideoOfAnotherSizeThanDeclaredIsReported()
    {
        var root = await TestDatasets.WriteAsync("video-shape", new LeRobotWriterOptions { Cameras = CameraEncoding.H264 }, [3]);
        await EditInfo(root, info => info["features"]![TestDatasets.Camera]!["shape"] = new JsonArray(48, 64, 3));

        var error = await SingleError(root, ValidationRules.Shape);
        Assert.Contains("64x64", error.Message);
    }

    [Fact]
    public async Task AnEpisodeLengthThatDisagreesWithTheDataIsReported()
    {
        var root = await NoCameras("length", V21);
        var path = Path.Combine(root, "meta", "episodes.jsonl");
        var lines = await File.ReadAllLinesAsync(path);
        lines[1] = lines[1].Replace("\"length\":5", "\"length\":9");
        await File.WriteAllLinesAsync(path, lines);

        var report = await DatasetValidator.ValidateAsync(root);

        Assert.Contains(report.Errors, p => p.Rule == ValidationRules.Episodes && p.Episode == 1 && p.Message.Contains("length 9"));
    }

    [Fact]
    public async Task AnUnknownTaskIndexIsReported()
    {
        var root = await NoCameras("task", V3);
        await ParquetFixture.RewriteAsync(Path.Combine(root, "data/chunk-000/file-001.parquet"), columns => columns.Get("task_index").Rows[0] = [9]);

        var error = await SingleError(root, ValidationRules.Tasks);
        Assert.Equal(2, error.Episode);
    }

    [Fact]
    public async Task BrokenInfoJsonIsReportedInsteadOfThrown()
    {
        var root = await NoCameras("info", V3);
        await File.WriteAllTextAsync(Path.Combine(root, "meta", "info.json"), "{ not json");

        var error = await SingleError(root, ValidationRules.Metadata);
        Assert.Contains("info.json", error.Message);
    }
}
