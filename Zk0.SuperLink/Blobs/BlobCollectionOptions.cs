namespace Zk0.SuperLink.Blobs;

/// <summary>When blobs no run needs are deleted; bound from <c>SuperLink:BlobCollection</c>.</summary>
public sealed class BlobCollectionOptions
{
    public const string Section = "SuperLink:BlobCollection";

    /// <summary>Time between collection passes; zero turns collection off.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// An unreferenced blob younger than this is kept: it may be an update whose result is still on its way, or an
    /// initial model uploaded for a run not yet submitted. Also the age at which an interrupted upload's partial file goes.
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Committed round models kept per run, newest first (so evaluators and checkpoint exports can still fetch them).</summary>
    public int KeepRoundModels { get; set; } = 2;

    /// <summary>How long a finished run keeps its initial and final models (what <c>run pull</c> fetches).</summary>
    public TimeSpan FinishedRunRetention { get; set; } = TimeSpan.FromDays(7);
}
