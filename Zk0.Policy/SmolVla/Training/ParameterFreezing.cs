namespace Zk0.Policy.SmolVla.Training;

/// <summary>
/// LeRobot's freezing rules: <c>freeze_vision_encoder</c> freezes the vision tower; <c>train_expert_only</c> freezes the
/// whole VLM; otherwise the VLM trains except <c>lm_head</c>, the final text norm and the last kept layer(s), which
/// never reach the loss; <c>train_state_proj</c> controls <c>state_proj</c>.
/// </summary>
public static class ParameterFreezing
{
    private const string VlmPrefix = "model.vlm_with_expert.vlm.";
    private const string VisionPrefix = "model.vlm_with_expert.vlm.model.vision_model.";
    private const string StateProjectionPrefix = "model.state_proj.";

    public static void Apply(SmolVlaPolicy policy)
    {
        var frozen = FrozenNames(policy.Architecture, policy.named_parameters().Select(p => p.name)).ToHashSet();
        foreach (var (name, parameter) in policy.named_parameters())
            parameter.requires_grad = !frozen.Contains(name);
    }

    /// <summary>The names of the parameters that train under the configuration, in state_dict order.</summary>
    public static IReadOnlyList<string> TrainableNames(SmolVlaPolicy policy) =>
        policy.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();

    private static IEnumerable<string> FrozenNames(Configuration.SmolVlaArchitecture arch, IEnumerable<string> names)
    {
        var p = arch.Policy;
        var lastLayers = new List<int> { arch.VlmLayers - 1 };
        if (arch.VlmLayers != arch.ExpertLayers && arch.VlmLayers % arch.ExpertLayers == 0)
            lastLayers.Add(arch.VlmLayers - 2);
        var neverReachLoss = new List<string> { VlmPrefix + "lm_head.", VlmPrefix + "model.text_model.norm." };
        neverReachLoss.AddRange(lastLayers.Select(l => $"{VlmPrefix}model.text_model.layers.{l}."));

        foreach (var name in names)
        {
            var frozen =
                (p.FreezeVisionEncoder && name.StartsWith(VisionPrefix, StringComparison.Ordinal))
                || (p.TrainExpertOnly && name.StartsWith(VlmPrefix, StringComparison.Ordinal))
                || (!p.TrainExpertOnly && neverReachLoss.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
                || (!p.TrainStateProj && name.StartsWith(StateProjectionPrefix, StringComparison.Ordinal));
            if (frozen) yield return name;
        }
    }
}
