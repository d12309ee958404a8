using TorchSharp;
using Zk0.Policy.Abstractions;
using Zk0.Policy.SmolVla.Configuration;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Vision;

/// <summary>SmolVLM's SigLIP-style vision transformer (<c>vision_model</c>): patch embedding, encoder, post LayerNorm.</summary>
public sealed class SiglipVisionTower : NamedModule
{
    private readonly SmolVlmVisionConfig _config;
    private readonly nn.Module<Tensor, Tensor> _patchEmbedding;
    private readonly nn.Module<Tensor, Tensor> _positionEmbedding;
    private readonly IReadOnlyList<SiglipEncoderLayer> _layers;
    private readonly nn.Module<Tensor, Tensor> _postNorm;

    public SiglipVisionTower(SmolVlmVisionConfig c, TensorPlacement at) : base(nameof(SiglipVisionTower))
    {
        _config = c;
        var embeddings = Child("embeddings", new Container("embeddings"));
        _patchEmbedding = embeddings.Add("patch_embedding", nn.Conv2d(c.NumChannels, c.HiddenSize, kernel_size: c.PatchSize,
            stride: c.PatchSize, device: at.Device, dtype: at.DType));
        _positionEmbedding = embeddings.Add("position_embedding",
            nn.Embedding(c.PatchesPerSide * c.PatchesPerSide, c.HiddenSize, device: at.Device, dtype: at.DType));
        _layers = Enumerable.Range(0, c.NumHiddenLayers).Select(_ => new SiglipEncoderLayer(c, at)).ToList();
        Child("encoder", new Container("encoder")).Add("layers", new TorchSharp.Modules.ModuleList<SiglipEncoderLayer>([.. _layers]));
        _postNorm = Child("post_layernorm", nn.LayerNorm(c.HiddenSize, c.LayerNormEps, device: at.Device, dtype: at.DType));
    }

    /// <summary>[B, C, H, W] in [-1, 1] → last hidden state [B, patches, hidden].</summary>
    public Tensor Forward(Tensor pixels)
    {
        var hidden = Embed(pixels);
        foreach (var layer in _layers)
        {
            var next = layer.Forward(hidden);
            hidden.Dispose();
            hidden = next;
        }
        using (hidden)
            return _postNorm.call(hidden);
    }

    private Tensor Embed(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        var weightType = ((TorchSharp.Modules.Conv2d)_patchEmbedding).weight!.dtype;
        var patches = _patchEmbedding.call(pixels.to(weightType));
        var (rows, cols) = (patches.shape[2], patches.shape[3]);
        var embeddings = patches.flatten(2).transpose(1, 2);
        var positions = PositionIds(rows, cols, pixels.device);
        return embeddings.add(_positionEmbedding.call(positions).unsqueeze(0), KeptScalars.IntOne).MoveToOuterDisposeScope();
    }

    /// <summary>transformers' bucketed position ids; the identity when the image has the configured size.</summary>
    private Tensor PositionIds(long rows, long cols, Device device)
    {
        var side = _config.PatchesPerSide;
        if (rows == side && cols == side)
        {
            using var patches = (side * side).ToScalar();
            return arange(KeptScalars.IntZero, patches, KeptScalars.IntOne, dtype: ScalarType.Int64, device: device);
        }
        using var scope = NewDisposeScope();
        using var boundaryStep = (1.0 / side).ToScalar();
        using var belowOne = (1 - 1e-6).ToScalar();
        using var rowStep = (1.0 / rows).ToScalar();
        using var colStep = (1.0 / cols).ToScalar();
        using var sideScalar = side.ToScalar();
        var boundaries = arange(boundaryStep, KeptScalars.DoubleOne, boundaryStep, dtype: ScalarType.Float32, device: device);
        var rowBuckets = bucketize(arange(KeptScalars.IntZero, belowOne, rowStep, dtype: ScalarType.Float32, device: device), boundaries, right: true);
        var colBuckets = bucketize(arange(KeptScalars.IntZero, belowOne, colStep, dtype: ScalarType.Float32, device: device), boundaries, right: true);
        return (rowBuckets.unsqueeze(1) * sideScalar).add(colBuckets.unsqueeze(0), KeptScalars.IntOne).flatten().MoveToOuterDisposeScope();
    }
}
