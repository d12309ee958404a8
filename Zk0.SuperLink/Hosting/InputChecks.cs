namespace Zk0.SuperLink.Hosting;

/// <summary>Checks of request fields against <see cref="InputLimits"/>; each error names the field, the limit and its setting.</summary>
internal static class InputChecks
{
    private const int QuotedLength = 64;

    /// <summary>A caller's value as an error message may echo it: long values are cut, so an error never carries megabytes back.</summary>
    public static string Quote(string value) =>
        value.Length <= QuotedLength ? value : $"{value[..QuotedLength]}…({value.Length} characters)";

    public static void Length(string field, string value, int max, string setting)
    {
        if (value.Length > max)
            throw Errors.InvalidArgument($"{field} is {value.Length} characters long; at most {max} are accepted (SuperLink:Limits:{setting}). Send a shorter {field}.");
    }

    public static void Id(string field, string value, InputLimits limits) =>
        Length(field, value, limits.MaxIdLength, nameof(InputLimits.MaxIdLength));

    public static void Entries<TValue>(string field, IReadOnlyCollection<KeyValuePair<string, TValue>> map, int max, string setting)
    {
        if (map.Count > max)
            throw Errors.InvalidArgument($"{field} has {map.Count} entries; at most {max} are accepted (SuperLink:Limits:{setting}). Send fewer.");
    }

    public static void Keys<TValue>(string field, IEnumerable<KeyValuePair<string, TValue>> map, int max, string setting)
    {
        foreach (var (key, _) in map)
            if (key.Length > max)
                throw Errors.InvalidArgument($"{field} key '{Quote(key)}' is {key.Length} characters long; at most {max} are accepted (SuperLink:Limits:{setting}). Use a shorter key.");
    }

    public static void Values(string field, IEnumerable<KeyValuePair<string, string>> map, int max, string setting)
    {
        foreach (var (key, value) in map)
            if (value.Length > max)
                throw Errors.InvalidArgument($"{field}['{Quote(key)}'] is {value.Length} characters long; at most {max} are accepted (SuperLink:Limits:{setting}). " +
                    "Large content belongs in a blob (Fleet.UploadBlob), referenced by its hash.");
    }

    public static void TotalLength(string field, IEnumerable<KeyValuePair<string, string>> map, int max, string setting)
    {
        var total = map.Sum(kv => (long)kv.Key.Length + kv.Value.Length);
        if (total > max)
            throw Errors.InvalidArgument($"{field} has {total} characters in all (keys and values); at most {max} are accepted (SuperLink:Limits:{setting}). " +
                "Large content belongs in a blob (Fleet.UploadBlob), referenced by its hash.");
    }

    public static void Metrics<TValue>(string field, IReadOnlyCollection<KeyValuePair<string, TValue>> metrics, InputLimits limits)
    {
        Entries(field, metrics, limits.MaxMetrics, nameof(InputLimits.MaxMetrics));
        Keys(field, metrics, limits.MaxMetricKeyLength, nameof(InputLimits.MaxMetricKeyLength));
    }

    /// <summary>A report (a node's error, an operator's stop reason) kept whole up to the limit, then cut with a marker saying how much was dropped.</summary>
    public static string Truncate(string report, int max) =>
        report.Length <= max ? report : $"{report[..max]}… [truncated: {report.Length - max} more characters]";
}
