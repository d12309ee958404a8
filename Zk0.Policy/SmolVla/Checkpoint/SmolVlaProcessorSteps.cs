using System.Text.Json.Nodes;
using Zk0.Policy.Checkpoints;
using Zk0.Policy.SmolVla.Configuration;

namespace Zk0.Policy.SmolVla.Checkpoint;

/// <summary>
/// SmolVLA's pre-processing steps before the normalizer, as LeRobot's SmolVLA processor builds them: rename, add the
/// batch dimension, end the task with a newline, tokenize with the SmolVLM2 tokenizer, move to the device.
/// </summary>
public static class SmolVlaProcessorSteps
{
    public static IReadOnlyList<ProcessorStep> Leading(SmolVlaConfig config) =>
    [
        .. ProcessorPipelineLayout.CommonLeadingSteps(),
        new("smolvla_new_line_processor", new JsonObject()),
        new("tokenizer_processor", new JsonObject
        {
            ["max_length"] = config.TokenizerMaxLength,
            ["task_key"] = "task",
            ["padding_side"] = "right",
            ["padding"] = config.PadLanguageTo,
            ["truncation"] = true,
            ["tokenizer_name"] = TokenizerName(config),
        }),
        ProcessorPipelineLayout.DeviceStep("cpu"),
    ];

    // Every Zk0 SmolVLA, the small one included, uses SmolVLM2's vocabulary; the small one's vlm_model_name names a
    // config-only folder that holds no tokenizer.
    private static string TokenizerName(SmolVlaConfig config) =>
        config.VlmModelName == SmallVlmGeometry.FolderName ? new SmolVlaConfig().VlmModelName : config.VlmModelName;
}
