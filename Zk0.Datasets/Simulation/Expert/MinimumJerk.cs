namespace Zk0.Datasets.Simulation;

/// <summary>The minimum-jerk time scaling 10τ³ − 15τ⁴ + 6τ⁵: starts and ends at rest, as human demonstrations do.</summary>
internal static class MinimumJerk
{
    public static float At(float tau)
    {
        var t = Math.Clamp(tau, 0f, 1f);
        return t * t * t * (10f + t * (-15f + 6f * t));
    }
}
