using Zk0.Datasets.Frames;
using Zk0.Datasets.Simulation;

namespace Zk0.Tests.Datasets.Simulation;

public sealed class RolloutVideoOverlayTests
{
    private static RgbFrame SceneFrame()
    {
        using var simulator = new ArmSimulator(SimTaskCatalog.Default, SimulatorOptions.Default with { ImageWidth = 32, ImageHeight = 24 });
        simulator.Reset(5);
        return FrameUpscaler.Upscale(simulator.Render(SimCameras.Top), 8);
    }

    private static int DifferingPixels(RgbFrame a, RgbFrame b) =>
        Enumerable.Range(0, a.Width * a.Height).Count(i => a.Pixels[3 * i] != b.Pixels[3 * i] || a.Pixels[3 * i + 1] != b.Pixels[3 * i + 1] || a.Pixels[3 * i + 2] != b.Pixels[3 * i + 2]);

    [Fact]
    public void The_overlay_draws_over_the_frame_and_keeps_its_size()
    {
        var frame = SceneFrame();

        var overlaid = RolloutOverlay.Draw(frame, step: 5, maxSteps: 10, [0f, 90f, -80f, 0f, 0f, 50f], RolloutOutcome.Running);

        Assert.Equal((frame.Width, frame.Height), (overlaid.Width, overlaid.Height));
        Assert.True(DifferingPixels(frame, overlaid) > frame.Width * 4, "the overlay changed almost nothing");
        // The top-left corner is outside the strip, the bars and (while running) the border.
        Assert.Equal(frame.GetPixel(frame.Width / 2, 10), overlaid.GetPixel(frame.Width / 2, 10));
    }

    [Fact]
    public void Step_action_and_outcome_each_change_the_picture()
    {
        var frame = SceneFrame();
        float[] action = [0f, 90f, -80f, 0f, 0f, 50f];
        var running = RolloutOverlay.Draw(frame, 5, 10, action, RolloutOutcome.Running);

        Assert.NotEqual(0, DifferingPixels(running, RolloutOverlay.Draw(frame, 9, 10, action, RolloutOutcome.Running)));
        Assert.NotEqual(0, DifferingPixels(running, RolloutOverlay.Draw(frame, 5, 10, [100f, 0f, 0f, 100f, 150f, 0f], RolloutOutcome.Running)));
        var succeeded = RolloutOverlay.Draw(frame, 5, 10, action, RolloutOutcome.Succeeded);
        var failed = RolloutOverlay.Draw(frame, 5, 10, action, RolloutOutcome.Failed);
        Assert.NotEqual(0, DifferingPixels(running, succeeded));
        Assert.NotEqual(0, DifferingPixels(succeeded, failed));
        var (r, g, _) = succeeded.GetPixel(2, frame.Height / 2);
        Assert.True(g > r, "a succeeded episode's border is green");
    }

    [Theory]
    [InlineData(32, 24, 256, 8)]
    [InlineData(128, 96, 256, 2)]
    [InlineData(300, 200, 256, 1)]
    [InlineData(33, 25, 256, 8)]
    public void Frames_are_enlarged_by_a_whole_factor_to_even_sides(int width, int height, int minWidth, int expected)
    {
        var factor = FrameUpscaler.Factor(width, height, minWidth);

        Assert.Equal(expected, factor);
        Assert.True(width * factor >= minWidth);
        Assert.Equal((0, 0), (width * factor % 2, height * factor % 2));
    }

    [Fact]
    public void Enlarging_repeats_each_pixel_in_a_block()
    {
        var frame = new RgbFrame(2, 1, [10, 20, 30, 40, 50, 60]);

        var large = FrameUpscaler.Upscale(frame, 2);

        Assert.Equal((4, 2), (large.Width, large.Height));
        Assert.Equal((byte)10, large.GetPixel(1, 1).R);
        Assert.Equal((byte)40, large.GetPixel(2, 0).R);
    }
}
