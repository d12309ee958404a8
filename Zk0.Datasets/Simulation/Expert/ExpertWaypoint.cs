using System.Numerics;

namespace Zk0.Datasets.Simulation;

/// <summary>One leg of the expert's plan: reach this fingertip position, jaw yaw and gripper value in <see cref="Seconds"/>.</summary>
internal readonly record struct ExpertWaypoint(string Phase, Vector3 Tip, float JawYawDegrees, float Gripper, float Seconds);
