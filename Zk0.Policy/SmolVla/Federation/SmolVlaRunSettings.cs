using System.Globalization;

namespace Zk0.Policy.SmolVla.Federation;

/// <summary>
/// The run-config keys of the SmolVLA policy. <c>policy-path</c> names a LeRobot checkpoint directory (config.json +
/// model.safetensors, tokenizer files optional) for real use; without it the small built-in configuration is built
/// for the dataset's shapes, sized by the <c>smolvla-*</c> keys.
/// </summary>
public sealed record SmolVlaRunSettings(
    string? CheckpointDirectory,
    int Hidden = 64,
    int Layers = 4,
    int ImageSize = 64,
    int DenoiseSteps = 10)
{
    public const string PolicyPathKey = Abstractions.RunSettings.PolicyPathKey;
    public const string HiddenKey = "smolvla-hidden";
    public const string LayersKey = "smolvla-layers";
    public const string ImageSizeKey = "smolvla-image-size";
    public const string DenoiseStepsKey = "smolvla-denoise-steps";

    public static SmolVlaRunSettings From(IReadOnlyDictionary<string, string> settings)
    {
        var path = settings.TryGetValue(PolicyPathKey, out var p) && !string.IsNullOrWhiteSpace(p) ? p.Trim() : null;
        var result = new SmolVlaRunSettings(path, Read(settings, HiddenKey, 64), Read(settings, LayersKey, 4),
            Read(settings, ImageSizeKey, 64), Read(settings, DenoiseStepsKey, 10));
        if (result.Hidden % 16 != 0)
            throw new ArgumentException($"Policy setting '{HiddenKey}' must be a multiple of 16 (4 heads of 16 dims and an even expert width), got {result.Hidden}.");
        if (result.Layers % 2 != 0)
            throw new ArgumentException($"Policy setting '{LayersKey}' must be even (SmolVLA alternates self- and cross-attention layers), got {result.Layers}.");
        if (result.ImageSize % 16 != 0)
            throw new ArgumentException($"Policy setting '{ImageSizeKey}' must be a multiple of 16 (8-pixel patches, pixel shuffle by 2), got {result.ImageSize}.");
        if (path is not null && !Directory.Exists(path))
            throw new DirectoryNotFoundException(
                $"Policy setting '{PolicyPathKey}' names '{path}', which is not a directory. Point it at a LeRobot SmolVLA checkpoint " +
                "directory holding config.json and model.safetensors (e.g. a download of lerobot/smolvla_base).");
        return result;
    }

    private static int Read(IReadOnlyDictionary<string, string> settings, string key, int fallback)
    {
        if (!settings.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text)) return fallback;
        if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw new ArgumentException($"Policy setting '{key}' must be a positive integer, got '{text}'.");
        return value;
    }
}
