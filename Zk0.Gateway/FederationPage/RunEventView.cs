using Zk0.Federation.Protocol;

namespace Zk0.Gateway.FederationPage;

/// <summary>One event of a run as the page's event stream sends it (<c>Kind</c> as RunEventKind names it, e.g. RoundCompleted).</summary>
public sealed record RunEventView(
    long Sequence, string Kind, int Round, string NodeId, string ModelHash, string Message,
    IReadOnlyDictionary<string, double> Metrics, long UnixMs, bool Terminal)
{
    public static RunEventView From(RunEvent e) =>
        new(e.Sequence, e.Kind.ToString(), e.Round, e.NodeId, e.ModelHash, e.Message, FiniteValues.Of(e.Metrics), e.UnixMs, e.Terminal);
}
