using System.Text.Json.Nodes;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Checkpoints;

namespace Zk0.Policy.BehaviourCloning;

/// <summary>
/// The behaviour-cloning policy's <c>config.json</c>, in LeRobot's shape (<c>type</c>, <c>input_features</c>,
/// <c>output_features</c>, <c>chunk_size</c>) plus the network sizes, and how a saved one is read back.
/// </summary>
public static class BehaviourCloningCheckpoint
{
    public static JsonObject Config(PolicyFeatures features, BehaviourCloningSettings settings)
    {
        var inputs = new JsonObject
        {
            ["observation.state"] = Feature("STATE", features.StateDim),
        };
        foreach (var camera in features.Cameras)
            inputs[camera.Key] = Feature("VISUAL", camera.Channels, camera.Height, camera.Width);
        return new JsonObject
        {
            ["type"] = BehaviourCloningPolicyFactory.TypeName,
            ["input_features"] = inputs,
            ["output_features"] = new JsonObject { ["action"] = Feature("ACTION", features.ActionDim) },
            ["chunk_size"] = features.ChunkSize,
            ["n_action_steps"] = features.ChunkSize,
            ["conv_channels"] = settings.ConvChannels,
            ["state_hidden"] = settings.StateHidden,
            ["hidden"] = settings.Hidden,
            ["keypoints"] = settings.Keypoints,
            ["instruction_features"] = settings.InstructionFeatures,
        };
    }

    /// <summary>The network sizes a checkpoint was saved with, after checking it is a behaviour-cloning checkpoint for these features.</summary>
    public static BehaviourCloningSettings ReadSettings(LeRobotCheckpoint checkpoint, PolicyFeatures features)
    {
        var config = checkpoint.Config;
        var type = config["type"]?.GetValue<string>();
        if (type != BehaviourCloningPolicyFactory.TypeName)
            throw new InvalidDataException(
                $"Checkpoint config '{checkpoint.ConfigPath}' is for policy type '{type}', not '{BehaviourCloningPolicyFactory.TypeName}'; " +
                $"set the run's policy to '{type}' or point policy-path at a behaviour-cloning checkpoint.");
        var settings = new BehaviourCloningSettings(Size(checkpoint, "conv_channels"), Size(checkpoint, "state_hidden"), Size(checkpoint, "hidden"),
            Size(checkpoint, "keypoints"), InstructionFeatures: InstructionFeatures(checkpoint));
        var saved = Config(features, settings);
        foreach (var key in new[] { "input_features", "output_features", "chunk_size" })
        {
            if (!JsonNode.DeepEquals(saved[key], config[key]))
                throw new InvalidDataException(
                    $"Checkpoint config '{checkpoint.ConfigPath}' has {key} {config[key]?.ToJsonString() ?? "(missing)"}, but the run's dataset gives " +
                    $"{saved[key]!.ToJsonString()}; the checkpoint was trained for other data.");
        }
        return settings;
    }

    private static JsonObject Feature(string type, params int[] shape) =>
        new() { ["type"] = type, ["shape"] = new JsonArray(shape.Select(s => (JsonNode)s).ToArray()) };

    // Checkpoints from before the policy read the instruction have no such key, and no such layer.
    private static int InstructionFeatures(LeRobotCheckpoint checkpoint)
    {
        if (checkpoint.Config["instruction_features"] is not { } node) return 0;
        try
        {
            var value = node.GetValue<int>();
            if (value >= 0) return value;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
        }
        throw new InvalidDataException($"Checkpoint config '{checkpoint.ConfigPath}' needs 'instruction_features' as a whole number of 0 or more.");
    }

    private static int Size(LeRobotCheckpoint checkpoint, string key)
    {
        try
        {
            var value = checkpoint.Config[key]?.GetValue<int>() ?? 0;
            if (value > 0) return value;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
        }
        throw new InvalidDataException($"Checkpoint config '{checkpoint.ConfigPath}' needs '{key}' as a positive integer.");
    }
}
