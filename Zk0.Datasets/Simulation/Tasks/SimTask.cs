namespace Zk0.Datasets.Simulation;

/// <summary>
/// One pick-and-place task of the synthetic SO-100-style family: which cube (colour), where it
/// starts (a region sampled at reset) and which bin it must end in. <see cref="Instruction"/> is
/// the language instruction written into the dataset's tasks table.
/// </summary>
public sealed record SimTask(string Name, string Instruction, RgbColor CubeColor, TableRegion StartRegion, Bin GoalBin);
