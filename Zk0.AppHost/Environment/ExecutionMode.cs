namespace Zk0.AppHost.Environment;

/// <summary>Run = the local runner starts processes; Publish = the manifest is written.</summary>
public enum ExecutionMode { Run, Publish }
