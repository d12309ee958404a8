using Zk0.Federation.Protocol;

namespace Zk0.Gateway.FederationPage;

/// <summary>A run with its rounds so far (the round in progress included, with the results it has).</summary>
public sealed record RunDetailView(RunSummaryView Summary, string InitialModelHash, IReadOnlyList<RoundView> Rounds)
{
    public static RunDetailView From(RunDetail run) =>
        new(RunSummaryView.From(run.Summary), run.InitialModelHash, run.Rounds.Select(RoundView.From).ToList());
}
