using System.Globalization;

namespace Zk0.Policy.BehaviourCloning;

/// <summary>Sizes of the behaviour-cloning network, read from run-config keys with small, CPU-friendly defaults.</summary>
public sealed record BehaviourCloningSettings(int ConvChannels = 16, int StateHidden = 64, int Hidden = 128, int Keypoints = 32, int ShiftPixels = 4,
    int InstructionFeatures = 32)
{
    public const string ConvChannelsKey = "bc-conv-channels";
    public const string StateHiddenKey = "bc-state-hidden";
    public const string HiddenKey = "bc-hidden";
    public const string KeypointsKey = "bc-keypoints";
    /// <summary>Training-time random shift of the camera images, in pixels (0 turns it off).</summary>
    public const string ShiftPixelsKey = "bc-shift-pixels";
    /// <summary>Features the task instruction adds (<see cref="InstructionEncoder"/>); 0: the policy ignores the instruction.</summary>
    public const string InstructionFeaturesKey = "bc-instruction-features";

    public static BehaviourCloningSettings From(IReadOnlyDictionary<string, string> settings) => new(
        Read(settings, ConvChannelsKey, 16),
        Read(settings, StateHiddenKey, 64),
        Read(settings, HiddenKey, 128),
        Read(settings, KeypointsKey, 32),
        Read(settings, ShiftPixelsKey, 4, allowZero: true),
        Read(settings, InstructionFeaturesKey, 32, allowZero: true));

    private static int Read(IReadOnlyDictionary<string, string> settings, string key, int fallback, bool allowZero = false)
    {
        if (!settings.TryGetValue(key, out var text)) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < (allowZero ? 0 : 1))
            throw new ArgumentException($"Policy setting '{key}' must be a {(allowZero ? "whole number of 0 or more" : "positive integer")}, got '{text}'.");
        return value;
    }
}
