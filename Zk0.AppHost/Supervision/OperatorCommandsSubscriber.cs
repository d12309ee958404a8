using Aspire.Hosting.Eventing;
using Aspire.Hosting.Lifecycle;

namespace Zk0.AppHost.Supervision;

/// <summary>
/// Wraps the supervised resources' Stop, Start and Restart commands (<see cref="OperatorCommands.Watch"/>) while the app
/// starts, after Aspire added them and before anything publishes resource snapshots: replacing an annotation later
/// raced with Aspire enumerating the annotations for the dashboard, whose resource list then failed ("0 resources").
/// Registered after Aspire's own subscribers, so its BeforeStart handler runs after the one that adds the commands.
/// </summary>
public sealed class OperatorCommandsSubscriber(OperatorCommands commands, SupervisedResources supervised) : IDistributedApplicationEventingSubscriber
{
    public Task SubscribeAsync(IDistributedApplicationEventing eventing, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        eventing.Subscribe<BeforeStartEvent>((started, _) =>
        {
            foreach (var resource in started.Model.Resources)
            {
                if (!supervised.Contains(resource)) continue;
                if (!commands.Watch(resource))
                    throw new InvalidOperationException($"Resource {resource.Name} has no Stop command to watch when the app starts; the supervisor could not tell an operator's Stop from a crash.");
            }
            return Task.CompletedTask;
        });
        return Task.CompletedTask;
    }
}
