using System.Text.RegularExpressions;
using Grpc.Core;
using Zk0.SuperLink.Hosting;

namespace Zk0.SuperLink.Control;

/// <summary>
/// Pages of ListRuns and ListNodes. A page is bounded in items, and every item is bounded by <c>SuperLink:Limits</c>
/// (a run record under ~17 KiB, a node record under ~5 KiB), so no reply nears the 4 MiB gRPC message limit however many
/// runs or nodes a federation keeps. Tokens name the last item served, so runs submitted or nodes forgotten meanwhile
/// neither repeat nor skip an item; a node page reads only its own records.
/// </summary>
public static partial class ListPages
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

    /// <summary>Node pages go in id order and a token is the last node's id (<c>node-</c> and 12 hex digits, as the SuperLink makes them).</summary>
    public static bool IsNodeToken(string token) => NodeId().IsMatch(token);

    public static RpcException UnknownToken(string api, string token) =>
        Errors.InvalidArgument($"page_token '{InputChecks.Quote(token)}' is not one {api} gave here; list again from an empty page_token.");

    [GeneratedRegex("^node-[0-9a-f]{12}$")]
    private static partial Regex NodeId();
}
