using TorchSharp;
using Zk0.Policy.SmolVla.Configuration;
using Zk0.Policy.SmolVla.Vision;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Text;

/// <summary>The SmolVLM (<c>vlm</c>): <c>model.{vision_model, connector, text_model}</c> and the unused <c>lm_head</c>.</summary>
public sealed class SmolVlm : NamedModule
{
    public SmolVlm(SmolVlaArchitecture arch, TensorPlacement at) : base(nameof(SmolVlm))
    {
        var model = Child("model", new Container("model"));
        VisionTower = model.Add("vision_model", new SiglipVisionTower(arch.Vlm.Vision, at));
        Connector = model.Add("connector", new PixelShuffleConnector(arch.Vlm, at));
        TextModel = model.Add("text_model", new TextModel(arch, at));
        Child("lm_head", Linear(arch.Vlm.Text.HiddenSize, arch.Vlm.Text.VocabSize, false, at));
    }

    public SiglipVisionTower VisionTower { get; }
    public PixelShuffleConnector Connector { get; }
    public TextModel TextModel { get; }

    /// <summary>Vision tower then connector: [B, C, H, W] → [B, image tokens, text hidden] (not yet scaled).</summary>
    public Tensor EmbedImage(Tensor pixels)
    {
        using var hidden = VisionTower.Forward(pixels);
        return Connector.Forward(hidden);
    }
}
