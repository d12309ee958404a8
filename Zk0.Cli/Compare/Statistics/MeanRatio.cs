namespace Zk0.Cli.Compare.Statistics;

/// <summary>
/// Federated mean over central mean, with an approximate 95 % half-width by the delta method treating the two means as
/// independent: ratio·√((hF/mF)² + (hC/mC)²). It is only a guide: it ignores that the seeds pair the runs and is
/// unreliable when an interval reaches zero (a ratio of noisy means near zero is not a stable number).
/// </summary>
public sealed record MeanRatio(double Value, double? HalfWidth95)
{
    public static MeanRatio? Of(SeedSummary? federated, SeedSummary? central)
    {
        if (federated is null || central is null || central.Mean == 0) return null;
        var ratio = federated.Mean / central.Mean;
        if (federated.HalfWidth95 is not double hf || central.HalfWidth95 is not double hc || federated.Mean == 0) return new MeanRatio(ratio, null);
        return new MeanRatio(ratio, Math.Abs(ratio) * Math.Sqrt(Math.Pow(hf / federated.Mean, 2) + Math.Pow(hc / central.Mean, 2)));
    }
}
