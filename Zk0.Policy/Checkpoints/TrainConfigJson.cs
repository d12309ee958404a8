using System.Text.Json.Nodes;
using Zk0.Policy.Abstractions;

namespace Zk0.Policy.Checkpoints;

/// <summary>
/// <c>train_config.json</c> in the shape of LeRobot's <c>TrainPipelineConfig</c>: the dataset, the policy block
/// (the checkpoint's <c>config.json</c>), seed, batch size and the optimizer and scheduler a Zk0 round uses. What
/// Zk0 does not know or has no counterpart for (total steps of a federation, output folder, logging) is null.
/// </summary>
public static class TrainConfigJson
{
    public const string FileName = "train_config.json";

    public static JsonObject Build(JsonObject policyConfig, CheckpointTrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(policyConfig);
        ArgumentNullException.ThrowIfNull(run);
        var settings = run.Settings;
        var options = settings?.TrainingOptions(settings.Seed);
        return new JsonObject
        {
            ["dataset"] = new JsonObject
            {
                ["repo_id"] = run.DatasetRepoId,
                ["root"] = run.DatasetRoot,
                ["episodes"] = null,
                ["revision"] = null,
                ["use_imagenet_stats"] = false,
                ["video_backend"] = null,
            },
            ["env"] = null,
            ["policy"] = policyConfig.DeepClone(),
            ["output_dir"] = null,
            ["job_name"] = null,
            ["resume"] = false,
            ["seed"] = settings?.Seed,
            ["num_workers"] = null,
            ["batch_size"] = settings?.BatchSize,
            // A federation trains local-steps per node and round; its total is not known to the checkpoint.
            ["steps"] = null,
            ["eval_freq"] = null,
            ["log_freq"] = null,
            ["save_checkpoint"] = true,
            ["save_freq"] = null,
            ["use_policy_training_preset"] = false,
            ["optimizer"] = options is null ? null : Optimizer(policyConfig, options),
            ["scheduler"] = options is null ? null : Scheduler(policyConfig, options),
            ["eval"] = null,
            ["wandb"] = null,
            ["checkpoint_path"] = null,
            ["rename_map"] = new JsonObject(),
        };
    }

    private static JsonObject Optimizer(JsonObject policyConfig, LocalTrainingOptions options) => new()
    {
        ["type"] = "adamw",
        ["lr"] = options.LearningRate,
        ["weight_decay"] = options.WeightDecay,
        ["grad_clip_norm"] = options.GradientClipNorm,
        ["betas"] = new JsonArray(options.Beta1, options.Beta2),
        ["eps"] = policyConfig["optimizer_eps"]?.GetValue<double>() ?? 1e-8,
    };

    /// <summary>SmolVLA's cosine decay with warm-up, restarted over each round's steps as Zk0 runs it; none for other policies.</summary>
    private static JsonObject? Scheduler(JsonObject policyConfig, LocalTrainingOptions options)
    {
        if (policyConfig["scheduler_warmup_steps"] is not JsonValue warmup || policyConfig["scheduler_decay_lr"] is not JsonValue decayLr
            || policyConfig["optimizer_lr"] is not JsonValue presetLr)
            return null;
        return new JsonObject
        {
            ["type"] = "cosine_decay_with_warmup",
            ["num_warmup_steps"] = Math.Min(warmup.GetValue<int>(), options.Steps / 10),
            ["num_decay_steps"] = options.Steps,
            ["peak_lr"] = options.LearningRate,
            ["decay_lr"] = options.LearningRate * decayLr.GetValue<double>() / presetLr.GetValue<double>(),
        };
    }
}
