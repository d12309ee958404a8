using System.Globalization;

namespace Zk0.Cli.Runs;

internal static class Timestamps
{
    public static string Local(long unixMs) => unixMs <= 0
        ? "-"
        : DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Clock(long unixMs) => unixMs <= 0
        ? "--:--:--"
        : DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
