namespace Zk0.AppHost.Supervision;

/// <summary>
/// Which resources the operator stopped on purpose (the dashboard's Stop, or the same command through Aspire's
/// <see cref="ResourceCommandService"/>): the supervisor leaves those alone until someone starts them again.
/// Aspire's own Stop/Start/Restart commands are wrapped (<see cref="Watch"/>) so every such command is seen, whichever
/// way it was issued; a crash never goes through them.
/// </summary>
public sealed class OperatorCommands
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _stopped = new(StringComparer.Ordinal);
    private readonly HashSet<string> _startedByHand = new(StringComparer.Ordinal);
    private static readonly AsyncLocal<bool> Supervising = new();

    public bool IsStoppedByOperator(string resource)
    {
        lock (_gate) return _stopped.Contains(resource);
    }

    /// <summary>True once after the operator started or restarted <paramref name="resource"/> by hand: its crash count starts afresh.</summary>
    public bool TakeStartedByHand(string resource)
    {
        lock (_gate) return _startedByHand.Remove(resource);
    }

    /// <summary>Runs <paramref name="start"/> as the supervisor's own start, which neither counts as the operator's nor clears a crash count.</summary>
    public static async Task<T> AsSupervisorAsync<T>(Func<Task<T>> start)
    {
        Supervising.Value = true;
        try
        {
            return await start();
        }
        finally
        {
            Supervising.Value = false;
        }
    }

    /// <summary>
    /// Wraps <paramref name="resource"/>'s Stop, Start and Restart commands so this class sees them (once, while the app
    /// starts: <see cref="OperatorCommandsSubscriber"/>); false when the resource has no Stop command to wrap.
    /// </summary>
    public bool Watch(IResource resource)
    {
        var annotations = resource.Annotations;
        var watchesStop = false;
        for (var i = 0; i < annotations.Count; i++)
        {
            if (annotations[i] is not ResourceCommandAnnotation command) continue;
            bool stops;
            if (command.Name == KnownResourceCommands.StopCommand) stops = true;
            else if (command.Name == KnownResourceCommands.StartCommand || command.Name == KnownResourceCommands.RestartCommand) stops = false;
            else continue;
            var execute = command.ExecuteCommand;
            var wrapped = new ResourceCommandAnnotation(command.Name, command.DisplayName, command.UpdateState,
                context =>
                {
                    Mark(resource.Name, stops);
                    return execute(context);
                },
                command.DisplayDescription, command.Arguments, command.ConfirmationMessage, command.IconName, command.IconVariant,
                command.IsHighlighted, command.Visibility, command.ValidateArguments);
            annotations[i] = wrapped;
            watchesStop |= stops;
        }
        return watchesStop;
    }

    private void Mark(string resource, bool stopped)
    {
        if (Supervising.Value) return;
        lock (_gate)
        {
            if (stopped)
            {
                _stopped.Add(resource);
                return;
            }
            _stopped.Remove(resource);
            _startedByHand.Add(resource);
        }
    }
}
