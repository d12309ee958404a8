using System.CommandLine;
using Zk0.Datasets.Validation;

namespace Zk0.Cli.Dataset;

internal static class ValidateCommand
{
    public static Command Create()
    {
        var uri = DatasetCommands.UriArgument();
        var tolerance = new Option<double>("--tolerance-s") { Description = "Timestamp tolerance in seconds (LeRobot's default 1e-4).", DefaultValueFactory = _ => 1e-4 };
        var command = new Command("validate", "Check rows, indices, timestamps, files, layout and shapes; exit 0 only when the dataset is valid.") { uri, tolerance };
        command.SetAction((parse, cancellationToken) => CliRun.GuardAsync(parse, async output =>
        {
            var report = await DatasetValidator.ValidateAsync(parse.GetValue(uri)!, parse.GetValue(tolerance), cancellationToken);
            foreach (var problem in report.Problems) await output.WriteLineAsync(problem.ToString());
            var errors = report.Errors.Count();
            var warnings = report.Warnings.Count();
            await output.WriteLineAsync(report.IsValid
                ? $"valid: {report.Root} ({warnings} warning(s))"
                : $"INVALID: {report.Root}: {errors} error(s), {warnings} warning(s)");
            return report.IsValid ? 0 : 1;
        }));
        return command;
    }
}
