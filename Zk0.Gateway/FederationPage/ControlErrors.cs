using Grpc.Core;

namespace Zk0.Gateway.FederationPage;

/// <summary>A failed Control call as the page's API answers it: the SuperLink's own message, with the matching HTTP status.</summary>
internal static class ControlErrors
{
    public static async Task<IResult> AnswerAsync(Func<Task<IResult>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException e)
        {
            return ToResult(e);
        }
    }

    public static IResult ToResult(RpcException e) => e.StatusCode switch
    {
        StatusCode.NotFound => Results.Json(new ApiError(e.Status.Detail), statusCode: StatusCodes.Status404NotFound),
        StatusCode.InvalidArgument => Results.Json(new ApiError(e.Status.Detail), statusCode: StatusCodes.Status400BadRequest),
        _ => Results.Json(new ApiError($"The SuperLink did not answer ({e.StatusCode}: {e.Status.Detail}); try again in a moment."),
            statusCode: StatusCodes.Status503ServiceUnavailable),
    };
}
