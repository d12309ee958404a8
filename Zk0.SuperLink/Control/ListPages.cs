using System.Globalization;
using Grpc.Core;
using Zk0.SuperLink.Hosting;
using Zk0.SuperLink.State;

namespace Zk0.SuperLink.Control;

/// <summary>
/// Pages of ListRuns and ListNodes. A page is bounded in items, and every item is bounded by <c>SuperLink:Limits</c>
/// (a run record under ~17 KiB, a node record under ~5 KiB), so no reply nears the 4 MiB gRPC message limit however many
/// runs or nodes a federation keeps. Tokens name the last item served, so runs submitted or nodes forgotten meanwhile
/// neither repeat nor skip an item.
/// </summary>
public static class ListPages
{
    public const int DefaultRuns = 100;
    public const int MaxRuns = 200;
    public const int DefaultNodes = 500;
    public const int MaxNodes = 500;

    public static int Size(int requested, int fallback, int max) => requested switch
    {
        < 0 => throw Errors.InvalidArgument($"page_size must be 0 (the default, {fallback}) or more, got {requested}."),
        0 => fallback,
        _ => Math.Min(requested, max),
    };

    public static string RunToken(RunRecord last) => last.RunId;

    public static string NodeToken(NodeRecord last) => string.Create(CultureInfo.InvariantCulture, $"{last.RegisteredUnixMs}.{last.NodeId}");

    /// <summary>The nodes after the token's node in registration order (they come sorted so); the whole list for an empty token.</summary>
    public static IEnumerable<NodeRecord> NodesAfter(IReadOnlyList<NodeRecord> nodes, string token)
    {
        if (token.Length == 0) return nodes;
        var dot = token.IndexOf('.');
        if (dot <= 0 || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var registered))
            throw UnknownToken("ListNodes", token);
        var nodeId = token[(dot + 1)..];
        return nodes.SkipWhile(n => n.RegisteredUnixMs < registered
            || (n.RegisteredUnixMs == registered && string.CompareOrdinal(n.NodeId, nodeId) <= 0));
    }

    public static RpcException UnknownToken(string api, string token) =>
        Errors.InvalidArgument($"page_token '{InputChecks.Quote(token)}' is not one {api} gave here; list again from an empty page_token.");
}
