namespace Zk0.Datasets.Writing;

/// <summary>A robot vector feature such as <c>observation.state</c> or <c>action</c>: one name per dimension.</summary>
public sealed record VectorFeatureSpec(string Key, IReadOnlyList<string> Names)
{
    public int Dim => Names.Count;
}

/// <summary>A camera stored as <c>observation.images.&lt;name&gt;</c> (video or image feature).</summary>
public sealed record CameraSpec(string Key, int Width, int Height);

/// <summary>What a dataset records: frame rate, robot, the state/action vectors and the cameras.</summary>
public sealed record DatasetSpec(int Fps, string RobotType, VectorFeatureSpec State, VectorFeatureSpec Action, IReadOnlyList<CameraSpec> Cameras)
{
    public const string StateKey = "observation.state";
    public const string ActionKey = "action";

    /// <summary>An SO-100/SO-101 style spec: 5 joints + gripper for state and action.</summary>
    public static DatasetSpec So100(int fps, IReadOnlyList<CameraSpec> cameras, string robotType = "so100_follower")
    {
        string[] joints = ["shoulder_pan.pos", "shoulder_lift.pos", "elbow_flex.pos", "wrist_flex.pos", "wrist_roll.pos", "gripper.pos"];
        return new DatasetSpec(fps, robotType, new VectorFeatureSpec(StateKey, joints), new VectorFeatureSpec(ActionKey, joints), cameras);
    }

    internal void Validate()
    {
        if (Fps <= 0) throw new ArgumentException($"Dataset fps must be positive, got {Fps}.");
        if (State.Dim == 0) throw new ArgumentException($"The state feature '{State.Key}' needs at least one named dimension.");
        if (Action.Dim == 0) throw new ArgumentException($"The action feature '{Action.Key}' needs at least one named dimension.");
        var keys = new HashSet<string>(StringComparer.Ordinal) { State.Key, Action.Key };
        if (keys.Count != 2) throw new ArgumentException("State and action features need different keys.");
        foreach (var camera in Cameras)
        {
            if (!keys.Add(camera.Key)) throw new ArgumentException($"Feature key '{camera.Key}' is used twice.");
            if (camera.Width <= 0 || camera.Height <= 0) throw new ArgumentException($"Camera '{camera.Key}' has an invalid size {camera.Width}x{camera.Height}.");
        }
    }
}
