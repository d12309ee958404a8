using Zk0.Gateway.Authentication;

namespace Zk0.Gateway.FederationPage;

/// <summary>Answers 401 with a JSON error to an <c>/api</c> call without the operator credential (header or sign-in cookie).</summary>
public sealed class OperatorOnlyFilter(OperatorAccess access) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (access.Allows(context.HttpContext)) return await next(context);
        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Json(new ApiError("The operator credential is missing or wrong: send 'authorization: Bearer TOKEN' or sign in at / first."),
            statusCode: StatusCodes.Status401Unauthorized);
    }
}
