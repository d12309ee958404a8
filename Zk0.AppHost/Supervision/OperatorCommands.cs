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
    private readonly HashSet<ResourceCommandAnnotation> _wrapped = [];
    private readonly HashSet<IResource> _watched = [];
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

    /// <summary>Whether <paramref name="resource"/>'s Stop command is wrapped already.</summary>
    public bool IsWatched(IResource resource)
    {
        lock (_gate) return _watched.Contains(resource);
    }

    /// <summary>
    /// Wraps <paramref name="resource"/>'s Stop, Start and Restart commands so this class sees them; commands already
    /// wrapped are left as they are (Aspire adds them once the resource exists). Call it inside a snapshot update of the
    /// resource (<see cref="ResourceSupervisor"/>), where Aspire does not read the annotations at the same time.
    /// </summary>
    public void Watch(IResource resource)
    {
        var annotations = resource.Annotations;
        for (var i = 0; i < annotations.Count; i++)
        {
            if (annotations[i] is not ResourceCommandAnnotation command) continue;
            lock (_gate)
            {
                if (_wrapped.Contains(command)) continue;
            }
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
            lock (_gate)
            {
                _wrapped.Add(wrapped);
                if (stops) _watched.Add(resource);
            }
            annotations[i] = wrapped;
        }
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
