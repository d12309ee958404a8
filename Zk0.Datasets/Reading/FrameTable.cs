using Zk0.Datasets.Metadata;
using Zk0.Datasets.Parquet;

namespace Zk0.Datasets.Reading;

/// <summary>Which rows of the table came from which file.</summary>
public sealed record FileRows(string RelativePath, int FirstRow, int Rows);

/// <summary>
/// All non-video columns of the data parquet files, in memory and concatenated in file order: numeric features flattened
/// to doubles, image features as their encoded bytes.
/// </summary>
public sealed class FrameTable
{
    public required int Rows { get; init; }
    public required IReadOnlyDictionary<string, NumericColumn> Numeric { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<byte[]?>> Images { get; init; }
    public required IReadOnlyList<FileRows> Files { get; init; }
    public required IReadOnlyList<string> MissingFiles { get; init; }

    public static readonly string[] DefaultColumns = ["timestamp", "frame_index", "episode_index", "index", "task_index"];

    public NumericColumn Column(string key) => Numeric.TryGetValue(key, out var column) ? column
        : throw new DatasetException($"The data parquet has no column '{key}'.");

    public string FileOfRow(int row) => Files.LastOrDefault(f => f.FirstRow <= row)?.RelativePath ?? "?";

    public static async Task<FrameTable> LoadAsync(DatasetMetadata metadata, CancellationToken cancellationToken = default)
    {
        var numeric = new Dictionary<string, (List<double> Values, List<int> Offsets)>(StringComparer.Ordinal);
        var images = new Dictionary<string, List<byte[]?>>(StringComparer.Ordinal);
        var files = new List<FileRows>();
        var missing = new List<string>();
        var rows = 0;
        var wanted = metadata.Info.Features.Where(f => f.IsNumeric).Select(f => f.Key).Union(DefaultColumns).ToList();
        foreach (var relative in DataFiles.DataFilePaths(metadata))
        {
            var path = Path.Combine(metadata.Root, relative);
            if (!File.Exists(path)) { missing.Add(relative); continue; }
            await using var reader = await MetadataReader.OpenParquetAsync(path, cancellationToken);
            var fileRows = (int)Enumerable.Range(0, reader.RowGroupCount).Sum(g => { using var rg = reader.OpenRowGroupReader(g); return rg.RowCount; });
            foreach (var key in wanted)
            {
                if (ParquetColumnReader.FindLeaf(reader.Schema, key) is not { } leaf) continue;
                if (leaf.ClrType == typeof(string) || leaf.ClrType == typeof(byte[])) continue;
                var column = await ParquetColumnReader.ReadNumericAsync(reader, leaf, path, cancellationToken);
                if (!numeric.TryGetValue(key, out var target))
                {
                    numeric[key] = target = ([], [0]);
                    for (var r = 0; r < rows; r++) target.Offsets.Add(0);
                }
                var shift = target.Values.Count;
                target.Values.AddRange(column.Values);
                for (var r = 1; r < column.Offsets.Length; r++) target.Offsets.Add(shift + column.Offsets[r]);
            }
            foreach (var camera in metadata.Info.Features.Where(f => f.IsImage))
            {
                if (!images.TryGetValue(camera.Key, out var list)) images[camera.Key] = list = Enumerable.Repeat<byte[]?>(null, rows).ToList();
                if (ParquetColumnReader.FindLeaf(reader.Schema, camera.Key, "bytes") is { } leaf)
                    list.AddRange(await ParquetColumnReader.ReadBinaryAsync(reader, leaf, cancellationToken));
                else list.AddRange(Enumerable.Repeat<byte[]?>(null, fileRows));
            }
            files.Add(new FileRows(relative, rows, fileRows));
            rows += fileRows;
            // Columns absent from this file get empty rows so every column keeps one entry per row.
            foreach (var (_, column) in numeric)
                while (column.Offsets.Count < rows + 1) column.Offsets.Add(column.Values.Count);
        }
        return new FrameTable
        {
            Rows = rows,
            Numeric = numeric.ToDictionary(kv => kv.Key, kv => new NumericColumn(kv.Value.Values.ToArray(), kv.Value.Offsets.ToArray()), StringComparer.Ordinal),
            Images = images.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<byte[]?>)kv.Value, StringComparer.Ordinal),
            Files = files,
            MissingFiles = missing,
        };
    }

    /// <summary>Keeps the first <paramref name="rows"/> rows (the zk0 hot-fix for doubled data).</summary>
    public FrameTable Truncate(int rows) => rows >= Rows ? this : new FrameTable
    {
        Rows = rows,
        Numeric = Numeric.ToDictionary(kv => kv.Key, kv => new NumericColumn(kv.Value.Values[..kv.Value.Offsets[rows]], kv.Value.Offsets[..(rows + 1)]), StringComparer.Ordinal),
        Images = Images.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<byte[]?>)kv.Value.Take(rows).ToList(), StringComparer.Ordinal),
        Files = Files.Where(f => f.FirstRow < rows).Select(f => f with { Rows = Math.Min(f.Rows, rows - f.FirstRow) }).ToList(),
        MissingFiles = MissingFiles,
    };
}
