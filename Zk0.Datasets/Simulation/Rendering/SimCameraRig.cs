using System.Numerics;

namespace Zk0.Datasets.Simulation;

/// <summary>Where each named camera sits: two fixed in the room, one riding on the gripper.</summary>
internal static class SimCameraRig
{
    public static CameraView View(string camera, ArmPose pose) => camera switch
    {
        SimCameras.Top => new CameraView(new Vector3(0.15f, 0f, 0.62f), -Vector3.UnitZ, Vector3.UnitX, 38f),
        SimCameras.Front => LookAt(new Vector3(0.55f, 0f, 0.40f), new Vector3(0.12f, 0f, 0.04f), 50f),
        SimCameras.Wrist => Wrist(pose),
        _ => throw new ArgumentException($"Unknown simulator camera '{camera}'; known cameras: {string.Join(", ", SimCameras.All)}.", nameof(camera)),
    };

    private static CameraView LookAt(Vector3 position, Vector3 target, float fov) =>
        new(position, Vector3.Normalize(target - position), Vector3.UnitZ, fov);

    // Mounted on the gripper body behind the fingers, offset to one side and tilted back toward the
    // fingertips so they stay at the bottom of the picture, as on an SO-100 wrist camera.
    private static CameraView Wrist(ArmPose pose)
    {
        var side = Vector3.Cross(pose.ToolDirection, pose.JawAxis);
        var position = pose.Tip - pose.ToolDirection * 0.075f + side * 0.035f;
        var forward = Vector3.Normalize(pose.ToolDirection - side * 0.25f);
        return new CameraView(position, forward, side, 78f, MountedOnGripper: true);
    }
}
