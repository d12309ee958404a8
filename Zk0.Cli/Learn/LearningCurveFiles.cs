using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Zk0.Cli.Learn;

/// <summary>learning.csv (one row per evaluation, for plotting elsewhere) and learning.json (the curves and their settings).</summary>
public static class LearningCurveFiles
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void WriteCsv(IReadOnlyList<LearningCurve> curves, string path)
    {
        var tasks = curves.SelectMany(c => c.Points).SelectMany(p => p.SuccessByTask.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var text = new StringBuilder("config,steps,train_seconds,train_loss,learning_rate,eval_loss,action_error,success_rate");
        foreach (var task in tasks) text.Append(",success_").Append(task);
        text.AppendLine();
        foreach (var curve in curves)
        foreach (var p in curve.Points)
        {
            text.Append(CultureInfo.InvariantCulture, $"\"{curve.Label.Replace("\"", "\"\"")}\",{p.Steps},{p.TrainSeconds:F1},{p.TrainLoss:G6},{p.LearningRate:G6},{p.EvalLoss:G6},{p.ActionError:G6},{p.SuccessRate:G4}");
            foreach (var task in tasks) text.Append(CultureInfo.InvariantCulture, $",{p.SuccessByTask.GetValueOrDefault(task):G4}");
            text.AppendLine();
        }
        File.WriteAllText(path, text.ToString());
    }

    public static void WriteJson(IReadOnlyList<LearningCurve> curves, LearnOptions options, string path)
    {
        using var file = File.Create(path);
        JsonSerializer.Serialize(file, new
        {
            options.Tasks,
            options.Episodes,
            options.Steps,
            options.EvalEvery,
            options.EvalEpisodes,
            options.EvaluationSeed,
            Curves = curves,
        }, Json);
    }
}
