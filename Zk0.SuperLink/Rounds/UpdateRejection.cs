namespace Zk0.SuperLink.Rounds;

/// <summary>
/// A result the SuperLink refused on arrival is still recorded as the node's answer, with this error, so the round
/// stops waiting for the node at once; the driver tells it apart from an error the node reported itself.
/// </summary>
public static class UpdateRejection
{
    private const string Prefix = "Update rejected: ";

    public static string ErrorFor(string reason) => Prefix + reason;

    public static bool IsRejection(string error) => error.StartsWith(Prefix, StringComparison.Ordinal);
}
