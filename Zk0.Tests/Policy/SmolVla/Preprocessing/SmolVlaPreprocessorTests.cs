using TorchSharp;
using Zk0.Policy.SmolVla.Preprocessing;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.SmolVla.Preprocessing;

public class SmolVlaPreprocessorTests
{
    private static readonly SmolVlaPreprocessingOptions TwoCameras = new(
        ["observation.images.top", "observation.images.wrist"], (32, 32), MaxStateDim: 8, MaxActionDim: 8, EmptyCameras: 1);

    [Fact]
    public void AMissingCameraBecomesABlankImageWithAFalseMaskWhenEmptyCamerasAllowIt()
    {
        using var scope = torch.NewDisposeScope();
        var batch = new Dictionary<string, Tensor> { ["observation.images.top"] = torch.rand(2, 3, 16, 16) };

        var prepared = new SmolVlaPreprocessor(TwoCameras).PrepareImages(batch);

        Assert.Equal(2, prepared.Images.Count);
        Assert.Equal(-1f, prepared.Images[1].max().item<float>());
        Assert.False(prepared.Masks[1].any().item<bool>());
        Assert.True(prepared.Masks[0].all().item<bool>());
    }

    [Fact]
    public void AMissingCameraIsDroppedWhenNoEmptyCamerasAreConfigured()
    {
        using var scope = torch.NewDisposeScope();
        var batch = new Dictionary<string, Tensor> { ["observation.images.wrist"] = torch.rand(1, 3, 16, 16) };

        var prepared = new SmolVlaPreprocessor(TwoCameras with { EmptyCameras = 0 }).PrepareImages(batch);

        Assert.Single(prepared.Images);
    }

    [Fact]
    public void TheLastFrameOfATimeSeriesIsUsedAndThePaddingMaskIsHonoured()
    {
        using var scope = torch.NewDisposeScope();
        var frames = torch.cat([torch.zeros([1, 1, 3, 32, 32]), torch.ones([1, 1, 3, 32, 32])], dim: 1);
        var batch = new Dictionary<string, Tensor>
        {
            ["observation.images.top"] = frames,
            ["observation.images.top_padding_mask"] = torch.tensor(new byte[] { 0 }),
        };

        var prepared = new SmolVlaPreprocessor(TwoCameras with { EmptyCameras = 0 }).PrepareImages(batch);

        Assert.Equal(1f, prepared.Images[0].min().item<float>());
        Assert.False(prepared.Masks[0].item<bool>());
    }

    [Fact]
    public void ABatchWithoutAnyConfiguredCameraIsRejectedNamingTheCameras()
    {
        var error = Assert.Throws<ArgumentException>(() => new SmolVlaPreprocessor(TwoCameras).PrepareImages(new Dictionary<string, Tensor>()));

        Assert.Contains("observation.images.top", error.Message);
    }

    [Fact]
    public void StateOfSeveralStepsKeepsTheLastOneAndIsPadded()
    {
        using var scope = torch.NewDisposeScope();
        var state = torch.arange(12, dtype: ScalarType.Float32).reshape(1, 2, 6);

        var prepared = new SmolVlaPreprocessor(TwoCameras).PrepareState(state);

        Assert.Equal(new[] { 6f, 7, 8, 9, 10, 11, 0, 0 }, prepared.data<float>().ToArray());
    }

    [Fact]
    public void AStateWiderThanTheMaximumIsAnErrorNotATruncation()
    {
        using var scope = torch.NewDisposeScope();

        var error = Assert.Throws<ArgumentException>(() => new SmolVlaPreprocessor(TwoCameras).PrepareState(torch.zeros(1, 9)));

        Assert.Contains("observation.state", error.Message);
        Assert.Contains("max_state_dim", error.Message);
    }
}
