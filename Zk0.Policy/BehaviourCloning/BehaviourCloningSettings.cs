using System.Globalization;

namespace Zk0.Policy.BehaviourCloning;

/// <summary>Sizes of the behaviour-cloning network, read from run-config keys with small, CPU-friendly defaults.</summary>
public sealed record BehaviourCloningSettings(int ConvChannels = 16, int StateHidden = 64, int Hidden = 128)
{
    public const string ConvChannelsKey = "bc-conv-channels";
    public const string StateHiddenKey = "bc-state-hidden";
    public const string HiddenKey = "bc-hidden";

    public static BehaviourCloningSettings From(IReadOnlyDictionary<string, string> settings) => new(
        Read(settings, ConvChannelsKey, 16),
        Read(settings, StateHiddenKey, 64),
        Read(settings, HiddenKey, 128));

    private static int Read(IReadOnlyDictionary<string, string> settings, string key, int fallback)
    {
        if (!settings.TryGetValue(key, out var text)) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw new ArgumentException($"Policy setting '{key}' must be a positive integer, got '{text}'.");
        return value;
    }
}
