namespace Zk0.Tests.Cli.Runs;

/// <summary>Sends <c>{gateway}/evaluator/*</c> requests to the Evaluator with the prefix removed, as the gateway's route does.</summary>
public sealed class EvaluatorRouteHandler(Uri evaluator) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        const string prefix = "/evaluator";
        var path = request.RequestUri!.AbsolutePath;
        if (!path.StartsWith(prefix + "/", StringComparison.Ordinal))
            throw new InvalidOperationException($"The gateway routes only {prefix}/* to the Evaluator, not {path}.");
        request.RequestUri = new Uri(evaluator, path[prefix.Length..] + request.RequestUri.Query);
        return base.SendAsync(request, cancellationToken);
    }
}
