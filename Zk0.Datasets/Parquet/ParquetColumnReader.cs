using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace Zk0.Datasets.Parquet;

/// <summary>A numeric column flattened to doubles, with the row boundaries (lists of any nesting are flattened per row).</summary>
public sealed record NumericColumn(double[] Values, int[] Offsets)
{
    public int Rows => Offsets.Length - 1;
    public int Width(int row) => Offsets[row + 1] - Offsets[row];
    public ReadOnlySpan<double> Row(int row) => Values.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);
}

/// <summary>
/// Reads columns through Parquet.Net's raw API, which copes with what pyarrow and pandas write: OPTIONAL columns,
/// 3-level LIST groups (fixed or variable length), nested lists, several row groups.
/// </summary>
public static class ParquetColumnReader
{
    /// <summary>The leaf data field of a top-level column (descending through lists), or for a struct its child named <paramref name="structChild"/>.</summary>
    public static DataField? FindLeaf(ParquetSchema schema, string column, string? structChild = null)
    {
        var field = schema.Fields.FirstOrDefault(f => f.Name == column);
        while (field is not null)
        {
            switch (field)
            {
                case DataField data: return data;
                case ListField list: field = list.Item; break;
                case StructField structure: field = structure.Fields.FirstOrDefault(f => f.Name == (structChild ?? "bytes")); structChild = null; break;
                default: return null;
            }
        }
        return null;
    }

    public static async Task<NumericColumn> ReadNumericAsync(ParquetReader reader, DataField field, string file, CancellationToken cancellationToken = default)
    {
        var values = new List<double>();
        var offsets = new List<int> { 0 };
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rowGroup = reader.OpenRowGroupReader(g);
            using var raw = await rowGroup.ReadRawColumnDataBaseAsync(field, cancellationToken);
            var defined = ToDoubles(raw, field, file);
            var k = 0;
            foreach (var (entry, isNew, hasValue) in Entries(raw, field, defined.Length))
            {
                if (isNew && entry > 0) offsets.Add(values.Count);
                if (hasValue) values.Add(defined[k++]);
            }
            if (rowGroup.RowCount > 0) offsets.Add(values.Count);
        }
        return new NumericColumn(values.ToArray(), offsets.ToArray());
    }

    public static async Task<List<string?[]>> ReadStringsAsync(ParquetReader reader, DataField field, CancellationToken cancellationToken = default)
    {
        var rows = new List<string?[]>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rowGroup = reader.OpenRowGroupReader(g);
            using var raw = await rowGroup.ReadRawColumnDataBaseAsync(field, cancellationToken);
            var defined = raw switch
            {
                RawColumnData<ReadOnlyMemory<char>> chars => chars.Values.ToArray().Select(m => m.ToString()).ToArray(),
                _ => throw new DatasetException($"Column '{field.Path}' is not a string column ({raw.GetType().Name})."),
            };
            var current = new List<string?>();
            var k = 0;
            foreach (var (entry, isNew, hasValue) in Entries(raw, field, defined.Length))
            {
                if (isNew && entry > 0) { rows.Add(current.ToArray()); current.Clear(); }
                current.Add(hasValue ? defined[k++] : null);
            }
            if (rowGroup.RowCount > 0) rows.Add(current.ToArray());
        }
        return rows;
    }

    public static async Task<List<byte[]?>> ReadBinaryAsync(ParquetReader reader, DataField field, CancellationToken cancellationToken = default)
    {
        var rows = new List<byte[]?>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rowGroup = reader.OpenRowGroupReader(g);
            using var raw = await rowGroup.ReadRawColumnDataBaseAsync(field, cancellationToken);
            var defined = raw is RawColumnData<ReadOnlyMemory<byte>> bytes
                ? bytes.Values.ToArray().Select(m => m.ToArray()).ToArray()
                : throw new DatasetException($"Column '{field.Path}' is not a binary column ({raw.GetType().Name}).");
            var k = 0;
            foreach (var (_, _, hasValue) in Entries(raw, field, defined.Length)) rows.Add(hasValue ? defined[k++] : null);
        }
        return rows;
    }

    /// <summary>The entries of a column chunk: which entry starts a new row, and which carry a value.</summary>
    private static List<(int Entry, bool IsNew, bool HasValue)> Entries(RawColumnData raw, DataField field, int definedCount)
    {
        var definitions = field.MaxDefinitionLevel > 0 ? raw.DefinitionLevels : [];
        var repetitions = field.MaxRepetitionLevel > 0 ? raw.RepetitionLevels : [];
        var entries = Math.Max(definitions.Length, repetitions.Length);
        if (entries == 0) entries = definedCount;
        var result = new List<(int, bool, bool)>(entries);
        for (var i = 0; i < entries; i++)
            result.Add((i, repetitions.Length == 0 || repetitions[i] == 0, definitions.Length == 0 || definitions[i] == field.MaxDefinitionLevel));
        return result;
    }

    private static double[] ToDoubles(RawColumnData raw, DataField field, string file) => raw switch
    {
        RawColumnData<float> f => Convert(f.Values, v => v),
        RawColumnData<double> d => d.Values.ToArray(),
        RawColumnData<long> l => Convert(l.Values, v => v),
        RawColumnData<int> i => Convert(i.Values, v => v),
        RawColumnData<short> s => Convert(s.Values, v => v),
        RawColumnData<sbyte> sb => Convert(sb.Values, v => v),
        RawColumnData<byte> b => Convert(b.Values, v => v),
        RawColumnData<ulong> ul => Convert(ul.Values, v => v),
        RawColumnData<uint> ui => Convert(ui.Values, v => v),
        RawColumnData<ushort> us => Convert(us.Values, v => v),
        RawColumnData<bool> bo => Convert(bo.Values, v => v ? 1.0 : 0.0),
        RawColumnData<Half> h => Convert(h.Values, v => (double)v),
        _ => throw new DatasetException($"{file}: column '{field.Path}' has type {field.ClrType.Name}, which is not numeric."),
    };

    private static double[] Convert<T>(Span<T> values, Func<T, double> convert)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = convert(values[i]);
        return result;
    }
}
