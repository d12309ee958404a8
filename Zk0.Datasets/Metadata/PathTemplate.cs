using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Zk0.Datasets.Metadata;

/// <summary>Fills Python <c>str.format</c> templates such as <c>data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet</c>.</summary>
public static partial class PathTemplate
{
    [GeneratedRegex(@"\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?<zero>0)?(?<width>\d+)?d)?\}")]
    private static partial Regex Placeholder();

    public static string Format(string template, IReadOnlyDictionary<string, object> values) =>
        Placeholder().Replace(template, match =>
        {
            var name = match.Groups["name"].Value;
            if (!values.TryGetValue(name, out var value))
                throw new DatasetException($"Path template '{template}' uses '{{{name}}}', which this dataset layout does not define.");
            var text = Convert.ToString(value, CultureInfo.InvariantCulture)!;
            if (match.Groups["width"].Success)
                text = text.PadLeft(int.Parse(match.Groups["width"].Value, CultureInfo.InvariantCulture), match.Groups["zero"].Success ? '0' : ' ');
            return text;
        });

    public static IReadOnlyList<string> PlaceholderNames(string template) =>
        Placeholder().Matches(template).Select(m => m.Groups["name"].Value).Distinct().ToList();

    /// <summary>A regex that matches paths produced by the template (used to spot files that belong to another layout).</summary>
    public static Regex ToRegex(string template)
    {
        var pattern = new StringBuilder("^");
        var last = 0;
        foreach (Match match in Placeholder().Matches(template))
        {
            pattern.Append(Regex.Escape(template[last..match.Index]));
            pattern.Append(match.Groups["name"].Value == "video_key" ? "[^/]+" : @"\d+");
            last = match.Index + match.Length;
        }
        pattern.Append(Regex.Escape(template[last..])).Append('$');
        return new Regex(pattern.ToString());
    }
}
