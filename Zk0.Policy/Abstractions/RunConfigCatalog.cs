using System.Reflection;
using Zk0.Federation.Runs;
using Zk0.Federation.Schedules;
using Zk0.Federation.Strategies;
using Zk0.Policy.BehaviourCloning;
using Zk0.Policy.SmolVla.Federation;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// Every run-config key something in Zk0 reads: the SuperLink's, the strategies' and schedules', and the nodes' and
/// policies'. A key outside it would travel to the nodes and do nothing, so an operator's typo is caught before a run.
/// </summary>
public static class RunConfigCatalog
{
    private static readonly Type[] KeyHolders =
    [
        typeof(RunConfigKeys), typeof(StrategyConfigKeys), typeof(ScheduleConfigKeys),
        typeof(RunSettings), typeof(SmolVlaRunSettings), typeof(BehaviourCloningSettings),
    ];

    public static IReadOnlySet<string> Keys { get; } = KeyHolders
        .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static))
        .Where(field => field.IsLiteral && field.FieldType == typeof(string))
        .Where(field => field.Name.EndsWith("Key", StringComparison.Ordinal) || field.DeclaringType!.Name.EndsWith("ConfigKeys", StringComparison.Ordinal))
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Null when every key is known; otherwise a line naming the first unknown key, the likely intended one, and the known keys.</summary>
    public static string? FindUnknownKey(IEnumerable<string> keys, IEnumerable<string>? alsoKnown = null)
    {
        var known = alsoKnown is null ? Keys : Keys.Concat(alsoKnown).ToHashSet(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (known.Contains(key)) continue;
            var closest = known.MinBy(k => EditDistance(k, key));
            var hint = closest is not null && EditDistance(closest, key) <= Math.Max(2, key.Length / 4) ? $" Did you mean '{closest}'?" : "";
            return $"Unknown run-config key '{key}'.{hint} Known keys: {string.Join(", ", known.Order(StringComparer.Ordinal))}.";
        }
        return null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
