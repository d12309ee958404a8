namespace Zk0.Datasets.Reading;

/// <summary>An episode's rows in the loaded table: <c>[RowStart, RowEnd)</c>.</summary>
public sealed record EpisodeSpan(int EpisodeIndex, int RowStart, int RowEnd, string Task)
{
    public int Length => RowEnd - RowStart;
}
