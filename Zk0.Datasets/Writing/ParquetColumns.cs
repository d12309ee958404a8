using Parquet;
using Parquet.Schema;

namespace Zk0.Datasets.Writing;

/// <summary>Column writers producing the same physical layout pyarrow gives LeRobot files (all columns OPTIONAL, 3-level lists).</summary>
internal static class ParquetColumns
{
    public static ListField FloatList(string name) => new(name, new DataField<float?>("element"));
    public static ListField DoubleList(string name) => new(name, new DataField<double?>("element"));
    public static ListField LongList(string name) => new(name, new DataField<long?>("element"));
    public static ListField StringList(string name) => new(name, new DataField<string>("element"));

    public static Task WriteListAsync<T>(ParquetRowGroupWriter rowGroup, ListField field, IReadOnlyList<T[]> rows) where T : struct
    {
        var total = rows.Sum(r => r.Length);
        var values = new T?[total];
        var repetition = new int[total];
        var k = 0;
        foreach (var row in rows)
        {
            if (row.Length == 0) throw new DatasetException($"Column '{field.Name}' cannot store an empty list.");
            for (var i = 0; i < row.Length; i++, k++)
            {
                values[k] = row[i];
                repetition[k] = i == 0 ? 0 : 1;
            }
        }
        return rowGroup.WriteAsync<T>((DataField)field.Item, values, repetition);
    }

    public static Task WriteStringListAsync(ParquetRowGroupWriter rowGroup, ListField field, IReadOnlyList<string[]> rows)
    {
        var values = new List<string>();
        var repetition = new List<int>();
        foreach (var row in rows)
            for (var i = 0; i < row.Length; i++)
            {
                values.Add(row[i]);
                repetition.Add(i == 0 ? 0 : 1);
            }
        return rowGroup.WriteAsync((DataField)field.Item, values, repetition.ToArray());
    }

    public static Task WriteAsync<T>(ParquetRowGroupWriter rowGroup, DataField field, IReadOnlyList<T> values) where T : struct =>
        rowGroup.WriteAsync<T>(field, values.Select(v => (T?)v).ToArray());
}
