using System.CommandLine;
using System.Text.Json;
using Zk0.Cli.Dataset;
using Zk0.Datasets.Frames;
using Zk0.Datasets.Writing;

namespace Zk0.Tests.Datasets.Cli;

public class DatasetCommandsTests
{
    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand { DatasetCommands.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(["dataset", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    public static TheoryData<LayoutVersion> Layouts => new() { LayoutVersion.V21, LayoutVersion.V30 };

    private static Task<string> DatasetAsync(LayoutVersion layout) =>
        TestDatasets.WriteAsync($"cli-{layout}", new LeRobotWriterOptions { Layout = layout, Cameras = CameraEncoding.H264 }, [5, 4]);

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task InfoShowsVersionCountsFeaturesAndCameras(LayoutVersion layout)
    {
        var root = await DatasetAsync(layout);

        var (exit, text, _) = await RunAsync("info", $"local:{root}");
        var (jsonExit, json, _) = await RunAsync("info", root, "--json");

        Assert.Equal((0, 0), (exit, jsonExit));
        Assert.Contains(layout == LayoutVersion.V30 ? "v3.0" : "v2.1", text);
        Assert.Matches(@"episodes:\s+2", text);
        Assert.Matches(@"frames:\s+9", text);
        Assert.Contains("observation.state", text);
        Assert.Matches(@"observation\.images\.top\s+video\s+h264\s+64x64", text);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(9, document.RootElement.GetProperty("frames").GetInt32());
        Assert.Equal("h264", document.RootElement.GetProperty("cameras")[0].GetProperty("codec").GetString());
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task ValidateExitsZeroOnlyWhenTheDatasetIsValid(LayoutVersion layout)
    {
        var root = await DatasetAsync(layout);
        var (exit, output, _) = await RunAsync("validate", root);
        Assert.Equal(0, exit);
        Assert.Contains("valid", output);

        foreach (var video in Directory.EnumerateFiles(Path.Combine(root, "videos"), "*.mp4", SearchOption.AllDirectories).Take(1)) File.Delete(video);
        (exit, output, _) = await RunAsync("validate", root);

        Assert.Equal(1, exit);
        Assert.Contains("missing-file", output);
        Assert.Contains("INVALID", output);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task FrameWritesThePngOfTheRequestedFrame(LayoutVersion layout)
    {
        var root = await DatasetAsync(layout);
        var png = Path.Combine(TestDatasets.NewDirectory("cli-frame"), "frame.png");

        var (exit, _, error) = await RunAsync("frame", root, "--episode", "1", "--index", "3", "--camera", TestDatasets.Camera, "--out", png);

        Assert.True(exit == 0, error);
        TestDatasets.AssertColour(ImageCodec.Decode(await File.ReadAllBytesAsync(png), png), 1, 3);
    }

    [Fact]
    public async Task ErrorsAreOneClearLineWithANonZeroExitAndNoStackTrace()
    {
        var root = await DatasetAsync(LayoutVersion.V30);

        var missing = await RunAsync("info", "local:/no/such/dataset");
        var badEpisode = await RunAsync("frame", root, "--episode", "7", "--index", "0", "--camera", TestDatasets.Camera, "--out", "/tmp/x.png");
        var badCamera = await RunAsync("frame", root, "--episode", "0", "--index", "0", "--camera", "observation.images.side", "--out", "/tmp/x.png");

        foreach (var (exit, _, error) in new[] { missing, badEpisode, badCamera })
        {
            Assert.NotEqual(0, exit);
            Assert.StartsWith("error: ", error);
            Assert.DoesNotContain("   at ", error);
        }
        Assert.Contains("/no/such/dataset", missing.Error);
        Assert.Contains("episode 7", badEpisode.Error);
        Assert.Contains("observation.images.top", badCamera.Error);
    }
}
