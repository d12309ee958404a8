using System.Text.Json.Nodes;

namespace Zk0.Datasets.Stats;

/// <summary>Parses LeRobot stats objects <c>{feature: {min, max, mean, std, count}}</c>; nested lists (image 3×1×1) are flattened.</summary>
public static class StatsJson
{
    public static Dictionary<string, FeatureStats> Parse(JsonObject json, string file)
    {
        var result = new Dictionary<string, FeatureStats>(StringComparer.Ordinal);
        foreach (var (feature, node) in json)
        {
            if (node is not JsonObject stats) continue;
            double[] Get(string name) => stats[name] is { } n ? Flatten(n)
                : throw new DatasetException($"{file}: stats of '{feature}' have no '{name}'.");
            var count = stats["count"] is { } c ? (long)Flatten(c).FirstOrDefault() : 0;
            result[feature] = new FeatureStats(Get("min"), Get("max"), Get("mean"), Get("std"), count);
        }
        return result;
    }

    public static double[] Flatten(JsonNode node)
    {
        var values = new List<double>();
        void Walk(JsonNode? n)
        {
            if (n is JsonArray a) foreach (var item in a) Walk(item);
            else if (n is JsonValue v) values.Add(v.GetValue<double>());
        }
        Walk(node);
        return values.ToArray();
    }
}
