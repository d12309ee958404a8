using Zk0.Cli.Simulation;

namespace Zk0.Tests.Cli.Simulation;

public sealed class ProcessMemoryTests
{
    [Fact]
    public void The_peak_covers_memory_touched_after_a_reset()
    {
        var self = Environment.ProcessId;
        ProcessMemory.ResetPeak(self);
        var before = ProcessMemory.CurrentResidentBytes(self);
        var block = new byte[64 << 20];
        Array.Fill(block, (byte)1);

        Assert.True(ProcessMemory.PeakResidentBytes(self) >= before + (48 << 20));
        GC.KeepAlive(block);
    }

    [Fact]
    public void A_process_that_has_exited_is_named()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ProcessMemory.PeakResidentBytes(int.MaxValue));
        Assert.Contains($"/proc/{int.MaxValue}/status", e.Message);
    }
}
