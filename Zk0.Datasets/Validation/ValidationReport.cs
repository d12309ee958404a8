namespace Zk0.Datasets.Validation;

public enum Severity
{
    Warning,
    Error,
}

/// <summary>One problem, with the rule it breaks and the file and episode it concerns (when known).</summary>
public sealed record ValidationProblem(Severity Severity, string Rule, string? File, int? Episode, string Message)
{
    public override string ToString() =>
        $"{(Severity == Severity.Error ? "error" : "warning")} [{Rule}]" + (File is null ? "" : $" {File}") + (Episode is null ? "" : $" (episode {Episode})") + $": {Message}";
}

public sealed record ValidationReport(string Root, IReadOnlyList<ValidationProblem> Problems)
{
    public bool IsValid => Problems.All(p => p.Severity != Severity.Error);
    public IEnumerable<ValidationProblem> Errors => Problems.Where(p => p.Severity == Severity.Error);
    public IEnumerable<ValidationProblem> Warnings => Problems.Where(p => p.Severity == Severity.Warning);
}

/// <summary>Rule names, stable so scripts and tests can match on them.</summary>
public static class ValidationRules
{
    public const string Metadata = "metadata";
    public const string RowCount = "rows-vs-total-frames";
    public const string DoubledRows = "doubled-rows";
    public const string Index = "index-unique-contiguous";
    public const string Timestamps = "timestamps-vs-fps";
    public const string MissingFile = "missing-file";
    public const string ExtraFile = "extra-file";
    public const string MixedLayout = "mixed-v2-v3-layout";
    public const string Shape = "shape-vs-features";
    public const string Episodes = "episodes-vs-data";
    public const string Tasks = "tasks";
    public const string Video = "video";
}
