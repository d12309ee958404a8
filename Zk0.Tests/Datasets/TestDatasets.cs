using Zk0.Datasets.Frames;
using Zk0.Datasets.Writing;

namespace Zk0.Tests.Datasets;

/// <summary>Small deterministic datasets written with the project's own writer.</summary>
internal static class TestDatasets
{
    public const int Fps = 10;
    public const string Camera = "observation.images.top";

    // One folder per test run, removed when the test process exits, so runs leave no datasets behind in /tmp.
    private static readonly string RunRoot = CreateRunRoot();

    private static string CreateRunRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "zk0-datasets-tests", $"run-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return root;
    }

    public static string NewDirectory(string name) => Path.Combine(RunRoot, $"{name}-{Guid.NewGuid():N}");

    public static DatasetSpec Spec(int width = 64, int height = 64, int cameras = 1) =>
        DatasetSpec.So100(Fps, Enumerable.Range(0, cameras).Select(i => new CameraSpec(i == 0 ? Camera : $"observation.images.cam{i}", width, height)).ToList());

    /// <summary>State = (episode, frame, ...), action = state + 0.5; each image is one flat colour that encodes the frame.</summary>
    public static IEnumerable<EpisodeFrame> Frames(DatasetSpec spec, int episode, int length)
    {
        for (var t = 0; t < length; t++)
        {
            var state = Enumerable.Range(0, spec.State.Dim).Select(d => d switch { 0 => episode, 1 => t, _ => d * 0.25f + t * 0.1f }).Select(v => (float)v).ToArray();
            var action = state.Select(v => v + 0.5f).ToArray();
            var images = spec.Cameras.ToDictionary(c => c.Key, c => Solid(c.Width, c.Height, FrameColour(episode, t)));
            yield return new EpisodeFrame(state, action, images);
        }
    }

    public static (byte R, byte G, byte B) FrameColour(int episode, int frame) =>
        ((byte)(20 + frame * 12 % 220), (byte)(40 + episode * 50 % 200), (byte)(200 - frame * 7 % 180));

    public static RgbFrame Solid(int width, int height, (byte R, byte G, byte B) colour)
    {
        var pixels = new byte[width * height * 3];
        for (var p = 0; p < pixels.Length; p += 3) (pixels[p], pixels[p + 1], pixels[p + 2]) = colour;
        return new RgbFrame(width, height, pixels);
    }

    public static (double R, double G, double B) MeanColour(RgbFrame frame)
    {
        double r = 0, g = 0, b = 0;
        var n = frame.Width * frame.Height;
        for (var p = 0; p < frame.Pixels.Length; p += 3) { r += frame.Pixels[p]; g += frame.Pixels[p + 1]; b += frame.Pixels[p + 2]; }
        return (r / n, g / n, b / n);
    }

    public static void AssertColour(RgbFrame frame, int episode, int index, double tolerance = 6)
    {
        var (r, g, b) = MeanColour(frame);
        var expected = FrameColour(episode, index);
        Assert.True(Math.Abs(r - expected.R) < tolerance && Math.Abs(g - expected.G) < tolerance && Math.Abs(b - expected.B) < tolerance,
            $"episode {episode} frame {index}: expected {expected}, decoded ({r:0.0}, {g:0.0}, {b:0.0})");
    }

    public static async Task<string> WriteAsync(string name, LeRobotWriterOptions options, int[] lengths, string[]? tasks = null, DatasetSpec? spec = null)
    {
        spec ??= Spec();
        var root = NewDirectory(name);
        await using var writer = LeRobotDatasetWriter.Create(root, spec, options);
        for (var e = 0; e < lengths.Length; e++)
            await writer.AddEpisodeAsync(tasks?[e % tasks.Length] ?? $"task {e % 2}", Frames(spec, e, lengths[e]));
        return await writer.CompleteAsync();
    }
}
