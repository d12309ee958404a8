using Parquet;
using Parquet.Schema;
using Zk0.Datasets.Parquet;

namespace Zk0.Tests.Datasets;

/// <summary>Reads and writes small hand-made parquet files (numeric columns only) to build broken and unusual datasets.</summary>
internal static class ParquetFixture
{
    public enum Kind { FloatList, DoubleList, Float, Double, Long, Bool }

    public sealed record Column(string Name, Kind Kind, List<double[]> Rows);

    public static async Task<List<Column>> ReadAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var columns = new List<Column>();
        foreach (var field in reader.Schema.Fields)
        {
            var leaf = ParquetColumnReader.FindLeaf(reader.Schema, field.Name)!;
            var isList = field is ListField;
            var type = Nullable.GetUnderlyingType(leaf.ClrType) ?? leaf.ClrType;
            var kind = type == typeof(float) ? (isList ? Kind.FloatList : Kind.Float)
                : type == typeof(double) ? (isList ? Kind.DoubleList : Kind.Double)
                : type == typeof(bool) ? Kind.Bool : Kind.Long;
            var data = await ParquetColumnReader.ReadNumericAsync(reader, leaf, path);
            columns.Add(new Column(field.Name, kind, Enumerable.Range(0, data.Rows).Select(r => data.Row(r).ToArray()).ToList()));
        }
        return columns;
    }

    public static Column Get(this List<Column> columns, string name) => columns.Single(c => c.Name == name);

    public static async Task WriteAsync(string path, IReadOnlyList<Column> columns, IReadOnlyList<int>? rowGroups = null, Dictionary<string, string>? metadata = null)
    {
        var fields = columns.Select(c => c.Kind switch
        {
            Kind.FloatList => (Field)new ListField(c.Name, new DataField<float?>("element")),
            Kind.DoubleList => new ListField(c.Name, new DataField<double?>("element")),
            Kind.Float => new DataField<float?>(c.Name),
            Kind.Double => new DataField<double?>(c.Name),
            Kind.Bool => new DataField<bool?>(c.Name),
            _ => new DataField<long?>(c.Name),
        }).ToList();
        var rows = columns[0].Rows.Count;
        rowGroups ??= [rows];
        if (File.Exists(path)) File.Delete(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        if (metadata is not null) writer.CustomMetadata = metadata;
        var start = 0;
        foreach (var size in rowGroups)
        {
            using var rowGroup = writer.CreateRowGroup();
            for (var c = 0; c < columns.Count; c++)
            {
                var slice = columns[c].Rows.Skip(start).Take(size).ToList();
                var leaf = fields[c] is ListField list ? (DataField)list.Item : (DataField)fields[c];
                var repetition = fields[c] is ListField ? slice.SelectMany(r => r.Select((_, i) => i == 0 ? 0 : 1)).ToArray() : null;
                var flat = slice.SelectMany(r => r).ToArray();
                switch (columns[c].Kind)
                {
                    case Kind.FloatList or Kind.Float: await rowGroup.WriteAsync<float>(leaf, flat.Select(v => (float?)v).ToArray(), repetition); break;
                    case Kind.DoubleList or Kind.Double: await rowGroup.WriteAsync<double>(leaf, flat.Select(v => (double?)v).ToArray(), repetition); break;
                    case Kind.Bool: await rowGroup.WriteAsync<bool>(leaf, flat.Select(v => (bool?)(v != 0)).ToArray(), repetition); break;
                    default: await rowGroup.WriteAsync<long>(leaf, flat.Select(v => (long?)v).ToArray(), repetition); break;
                }
            }
            start += size;
        }
    }

    /// <summary>Reads a parquet, lets the test change its columns, and writes it back in place.</summary>
    public static async Task RewriteAsync(string path, Action<List<Column>> change, IReadOnlyList<int>? rowGroups = null)
    {
        var columns = await ReadAsync(path);
        change(columns);
        await WriteAsync(path, columns, rowGroups);
    }
}
