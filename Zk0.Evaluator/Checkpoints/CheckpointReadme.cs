using System.Text;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Checkpoints;

namespace Zk0.Evaluator.Checkpoints;

/// <summary>
/// The <c>README.md</c> of a pulled checkpoint: which model of which run it is and how to load it. The run config is left
/// out (it may name datasets and paths of the federation).
/// </summary>
public static class CheckpointReadme
{
    public const string FileName = "README.md";

    public static string Write(CommittedModel model, string policyType)
    {
        var card = new StringBuilder();
        card.AppendLine("---");
        card.AppendLine("library_name: lerobot");
        card.AppendLine("pipeline_tag: robotics");
        card.AppendLine($"tags: [robotics, federated-learning, zk0, {policyType}]");
        card.AppendLine("---");
        card.AppendLine();
        card.AppendLine($"# zk0 federated {policyType}: run {model.RunId}, round {model.Round}");
        card.AppendLine();
        card.AppendLine("| | |");
        card.AppendLine("|---|---|");
        card.AppendLine($"| policy type | `{policyType}` |");
        card.AppendLine($"| run id | `{model.RunId}` |");
        card.AppendLine($"| round | {model.Round} |");
        card.AppendLine($"| model hash | `{model.ModelHash}` (SHA-256 of the global model blob: the trainable tensors) |");
        card.AppendLine();
        card.AppendLine("## How to load");
        card.AppendLine();
        card.AppendLine("`config.json` and `model.safetensors` (the full state dict under LeRobot's key names) form a LeRobot checkpoint.");
        card.AppendLine($"Start a zk0 run from it with the run config `policy={policyType} {RunSettings.PolicyPathKey}=<this directory>`.");
        card.AppendLine();
        card.Append(LeRobotLoadingNotes.Markdown(policyType));
        return card.ToString();
    }
}
