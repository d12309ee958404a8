using System.Text.Json.Nodes;

namespace Zk0.Policy.SmolVla.Preprocessing;

/// <summary>
/// The configuration the in-policy preprocessing needs: camera keys in <c>input_features</c> order,
/// the <c>resize_imgs_with_padding</c> target (width, height; null = keep size), the pad widths and
/// how many configured-but-absent cameras become blank images.
/// </summary>
public sealed record SmolVlaPreprocessingOptions(
    IReadOnlyList<string> CameraKeys,
    (int Width, int Height)? ResizeWithPadding,
    int MaxStateDim = 32,
    int MaxActionDim = 32,
    int EmptyCameras = 0)
{
    /// <summary>Reads the fields from a LeRobot SmolVLA <c>config.json</c>.</summary>
    public static SmolVlaPreprocessingOptions FromPolicyConfig(JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var cameras = config["input_features"] is JsonObject features
            ? features.Where(f => f.Value?["type"]?.GetValue<string>() == "VISUAL").Select(f => f.Key).ToArray()
            : [];
        (int, int)? resize = config["resize_imgs_with_padding"] is JsonArray { Count: 2 } size
            ? (size[0]!.GetValue<int>(), size[1]!.GetValue<int>())
            : null;
        return new SmolVlaPreprocessingOptions(
            cameras,
            resize,
            config["max_state_dim"]?.GetValue<int>() ?? 32,
            config["max_action_dim"]?.GetValue<int>() ?? 32,
            config["empty_cameras"]?.GetValue<int>() ?? 0);
    }
}
