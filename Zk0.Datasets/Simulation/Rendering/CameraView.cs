using System.Numerics;

namespace Zk0.Datasets.Simulation;

/// <summary>
/// A pinhole camera: where it is, where it looks, which way is up in the image, its vertical field
/// of view. A camera <see cref="MountedOnGripper"/> sees the fingers but not the body it is fixed to.
/// </summary>
internal readonly record struct CameraView(Vector3 Position, Vector3 Forward, Vector3 Up, float VerticalFovDegrees, bool MountedOnGripper = false);
