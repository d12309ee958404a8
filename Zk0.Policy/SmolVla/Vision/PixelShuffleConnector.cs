using TorchSharp;
using Zk0.Policy.SmolVla.Configuration;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Vision;

/// <summary>SmolVLM's connector: pixel shuffle by <c>scale_factor</c>, then a bias-free projection to the text width.</summary>
public sealed class PixelShuffleConnector : NamedModule
{
    private readonly int _scale;
    private readonly nn.Module<Tensor, Tensor> _projection;

    public PixelShuffleConnector(SmolVlmConfig c, TensorPlacement at) : base(nameof(PixelShuffleConnector))
    {
        _scale = c.ScaleFactor;
        var input = c.Vision.HiddenSize * c.ScaleFactor * c.ScaleFactor;
        _projection = Child("modality_projection", new Container("modality_projection"))
            .Add("proj", Linear(input, c.Text.HiddenSize, false, at));
    }

    public Tensor Forward(Tensor imageHidden)
    {
        using var scope = NewDisposeScope();
        return _projection.call(PixelShuffle(imageHidden, _scale)).MoveToOuterDisposeScope();
    }

    /// <summary>The same view/permute sequence as transformers' <c>pixel_shuffle</c>.</summary>
    public static Tensor PixelShuffle(Tensor x, int scale)
    {
        using var scope = NewDisposeScope();
        var (batch, sequence, width) = (x.shape[0], x.shape[1], x.shape[2]);
        var side = (long)Math.Sqrt(sequence);
        var h = x.view(batch, side, side, width);
        h = h.view(batch, side, side / scale, width * scale);
        h = h.permute(0, 2, 1, 3);
        h = h.reshape(batch, side / scale, side / scale, width * scale * scale);
        h = h.permute(0, 2, 1, 3);
        return h.reshape(batch, sequence / (scale * scale), width * scale * scale).MoveToOuterDisposeScope();
    }
}
