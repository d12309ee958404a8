using Zk0.Datasets.Frames;
using Zk0.Datasets.Simulation;

namespace Zk0.Tests.Datasets.Simulation;

public sealed class SceneRenderingTests
{
    [Fact]
    public void EveryCameraRendersAnHwcRgbFrameOfTheConfiguredSize()
    {
        var options = new SimulatorOptions { ImageWidth = 96, ImageHeight = 72, Cameras = SimCameras.All.ToArray() };
        using var simulator = new ArmSimulator(SimTaskCatalog.Default, options);

        var observation = simulator.Observe();

        Assert.Equal(SimCameras.All.Order(), observation.Images.Keys.Order());
        foreach (var frame in observation.Images.Values)
        {
            Assert.Equal((96, 72), (frame.Width, frame.Height));
            Assert.Equal(96 * 72 * 3, frame.Pixels.Length);
        }
        Assert.Equal(SimTaskCatalog.Default.Instruction, observation.Instruction);
        Assert.Equal(simulator.State, observation.State);
        Assert.Equal(observation.Images["wrist"], observation.ImagesByFeatureKey()["observation.images.wrist"]);
    }

    [Fact]
    public void RenderingIsDeterministic()
    {
        using var first = new ArmSimulator(SimTaskCatalog.Default);
        using var second = new ArmSimulator(SimTaskCatalog.Default);
        first.Reset(4);
        second.Reset(4);

        Assert.Equal(first.Render(SimCameras.Top).Pixels, second.Render(SimCameras.Top).Pixels);
        Assert.Equal(first.Render(SimCameras.Wrist).Pixels, second.Render(SimCameras.Wrist).Pixels);
    }

    [Fact]
    public void TheTopCameraShowsTheTasksCubeColour()
    {
        foreach (var task in SimTaskCatalog.All)
        {
            using var simulator = new ArmSimulator(task);

            var frame = simulator.Render(SimCameras.Top);

            Assert.True(CountNear(frame, task.CubeColor, tolerance: 40) >= 6, $"{task.Name}: too few cube-coloured pixels in the top view");
        }
    }

    [Fact]
    public void DifferentTasksLookDifferentFromEveryCamera()
    {
        using var red = new ArmSimulator(SimTaskCatalog.Get("red-cube-to-left-bin"));
        using var blue = new ArmSimulator(SimTaskCatalog.Get("blue-cube-to-far-bin"));

        foreach (var camera in new[] { SimCameras.Top, SimCameras.Front })
            Assert.True(MeanAbsoluteDifference(red.Render(camera), blue.Render(camera)) > 0.3, $"{camera} images of two tasks are nearly identical");
    }

    [Fact]
    public void MovingTheArmChangesTheImages()
    {
        using var simulator = new ArmSimulator(SimTaskCatalog.Default);
        var topBefore = simulator.Render(SimCameras.Top);
        var wristBefore = simulator.Render(SimCameras.Wrist);
        var action = simulator.State;
        action[ArmJoints.ShoulderPan] += 30f;

        for (var i = 0; i < 20; i++) simulator.Step(action);

        Assert.True(MeanAbsoluteDifference(topBefore, simulator.Render(SimCameras.Top)) > 0.5);
        Assert.True(MeanAbsoluteDifference(wristBefore, simulator.Render(SimCameras.Wrist)) > 2.0);
    }

    [Fact]
    public void UnknownCameraIsRejectedListingTheKnownOnes()
    {
        using var simulator = new ArmSimulator(SimTaskCatalog.Default);

        var error = Assert.Throws<ArgumentException>(() => simulator.Render("ceiling"));

        Assert.Contains("wrist", error.Message);
    }

    private static int CountNear(RgbFrame frame, RgbColor color, int tolerance)
    {
        var count = 0;
        for (var p = 0; p < frame.Pixels.Length; p += 3)
            if (Math.Abs(frame.Pixels[p] - color.R) <= tolerance && Math.Abs(frame.Pixels[p + 1] - color.G) <= tolerance && Math.Abs(frame.Pixels[p + 2] - color.B) <= tolerance)
                count++;
        return count;
    }

    private static double MeanAbsoluteDifference(RgbFrame a, RgbFrame b)
    {
        long sum = 0;
        for (var i = 0; i < a.Pixels.Length; i++) sum += Math.Abs(a.Pixels[i] - b.Pixels[i]);
        return sum / (double)a.Pixels.Length;
    }
}
