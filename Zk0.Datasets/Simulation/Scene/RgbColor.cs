namespace Zk0.Datasets.Simulation;

/// <summary>An 8-bit RGB colour for scene objects (kept free of any rendering library).</summary>
public readonly record struct RgbColor(byte R, byte G, byte B);
