using System.Text;

namespace Zk0.Gateway.Authentication;

/// <summary>
/// Answers a gRPC call at the gateway, without proxying it: a trailers-only response (HTTP 200, <c>grpc-status</c> and
/// <c>grpc-message</c> in the headers, no body), which every gRPC client reads as the call's status.
/// </summary>
public static class GrpcRefusal
{
    public const int Unavailable = 14;
    public const int Unauthenticated = 16;

    public static Task WriteAsync(HttpContext context, int grpcStatus, string message)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = grpcStatus.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode(message);
        return response.CompleteAsync();
    }

    /// <summary>The gRPC spec's encoding of <c>grpc-message</c>: UTF-8, with '%' and bytes outside printable ASCII as %XX.</summary>
    public static string PercentEncode(string message)
    {
        var text = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%') text.Append((char)b);
            else text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
