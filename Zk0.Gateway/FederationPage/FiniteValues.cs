using Google.Protobuf.Collections;

namespace Zk0.Gateway.FederationPage;

/// <summary>Metrics as JSON carries them: a diverged NaN or infinite value is left out (JSON has no number for it).</summary>
internal static class FiniteValues
{
    public static IReadOnlyDictionary<string, double> Of(MapField<string, double> metrics) =>
        metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);

    public static double? Of(double value) => double.IsFinite(value) ? value : null;
}
