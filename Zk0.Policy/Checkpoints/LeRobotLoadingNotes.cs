using Zk0.Policy.SmolVla.Checkpoint;
using Zk0.Policy.SmolVla.Federation;

namespace Zk0.Policy.Checkpoints;

/// <summary>The model-card paragraph that says which LeRobot versions load a checkpoint folder written here, and how.</summary>
public static class LeRobotLoadingNotes
{
    public static string Markdown(string policyType)
    {
        var lines = new List<string>
        {
            "### LeRobot versions",
            "",
            $"The folder has LeRobot 0.4's layout: `{LeRobotCheckpoint.ConfigFileName}`, `{LeRobotCheckpoint.WeightsFileName}` (weights only), `{TrainConfigJson.FileName}`,",
            $"`{ProcessorPipelineLayout.ConfigFileName(ProcessorPipelineLayout.Preprocessor)}` and `{ProcessorPipelineLayout.ConfigFileName(ProcessorPipelineLayout.Postprocessor)}` with the normalizer and un-normalizer statistics in their",
            "`*_normalizer_processor.safetensors` / `*_unnormalizer_processor.safetensors` state files. LeRobot 0.4 and newer load the",
            "processors with `PolicyProcessorPipeline.from_pretrained(<this directory>, config_filename=\"policy_preprocessor.json\")`.",
            "LeRobot before 0.4 is not supported: it expects the normalization buffers inside `model.safetensors`, which this folder",
            "does not carry. The statistics are those of the dataset the checkpoint was written with; in a federation each node",
            "normalizes with its own dataset's statistics. A folder written without dataset statistics has only `config.json` and",
            "`model.safetensors`: LeRobot then loads the weights but has no normalization for them.",
        };
        if (policyType == SmolVlaFederatedPolicy.TypeName)
        {
            lines.AddRange(
            [
                "",
                $"If `vlm_model_name` in `config.json` is `{SmallVlmGeometry.FolderName}`, the VLM is zk0's small SmolVLM, not SmolVLM2-500M: its widths,",
                $"heads and image size are in `{SmallVlmGeometry.ConfigPath}` (transformers' SmolVLM config), because LeRobot's SmolVLAConfig",
                "has no fields for them. LeRobot resolves `vlm_model_name` as a hub id or a folder relative to the working directory: set it",
                $"to the absolute path of `{SmallVlmGeometry.FolderName}/`, and copy the processor and tokenizer files of",
                "`HuggingFaceTB/SmolVLM2-500M-Video-Instruct` (the small model uses its vocabulary) into that folder, which LeRobot also loads them from.",
            ]);
        }
        else
        {
            lines.AddRange(["", $"LeRobot has no `{policyType}` policy: only zk0 loads these weights; the processor files follow LeRobot's layout."]);
        }
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}
