namespace Zk0.Cli.Drill;

/// <summary>
/// How hard <c>zk0 drill</c> pushes. Full: the numbers (20 SuperLink kills); short: the same drills with fewer
/// kill moments, for the test run. Timings are small so that leases and deadlines expire within a drill.
/// </summary>
public sealed record DrillSettings(bool IsShort, int Seed, string WorkDirectory, int SuperLinkKills, long ModelParameters)
{
    public const int Rounds = 4;
    public static readonly TimeSpan NodeLease = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan LeadershipLease = TimeSpan.FromSeconds(4);
    /// <summary>How long any one drill's run may take before the drill reports it as hanging.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    public static DrillSettings Full(int seed, string workDirectory) => new(false, seed, workDirectory, SuperLinkKills: 20, ModelParameters: 1_000_000);

    public static DrillSettings Short(int seed, string workDirectory) => new(true, seed, workDirectory, SuperLinkKills: 3, ModelParameters: 1_000_000);

    /// <summary>The SuperLink settings every drill federation runs with: short leases, so a dead node or replica is noticed within seconds.</summary>
    public static IReadOnlyDictionary<string, string> SuperLinkSettings => new Dictionary<string, string>
    {
        ["SuperLink:NodeLease"] = NodeLease.ToString(),
        ["SuperLink:HeartbeatInterval"] = "00:00:01",
        ["SuperLink:LeadershipLease"] = LeadershipLease.ToString(),
        ["SuperLink:MaxPullWait"] = "00:00:02",
    };
}
