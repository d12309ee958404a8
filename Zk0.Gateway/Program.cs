using Zk0.Federation.Security;
using Zk0.Gateway;

var builder = WebApplication.CreateBuilder(args);

// Service defaults, node and operator authentication, the YARP routes, the federation page, TLS.
try
{
    builder.AddGateway();
}
catch (TlsSetupException problem)
{
    Console.Error.WriteLine($"zk0 gateway: {problem.Message}");
    return 2;
}

var app = builder.Build();

app.MapGateway();

app.Run();
return 0;
