namespace Zk0.Datasets.Simulation;

/// <summary>
/// Link lengths of the simulated arm in metres, close to an SO-100's proportions. The shoulder pivot
/// sits <see cref="ShoulderHeight"/> above the table, straight above the base at the world origin.
/// </summary>
public sealed record ArmGeometry(
    float ShoulderHeight = 0.07f,
    float UpperArm = 0.15f,
    float Forearm = 0.15f,
    float WristToTip = 0.07f,
    float MaxJawOpening = 0.07f)
{
    public static ArmGeometry So100Like { get; } = new();
}
