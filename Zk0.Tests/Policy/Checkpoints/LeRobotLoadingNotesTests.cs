using Zk0.Policy.Checkpoints;

namespace Zk0.Tests.Policy.Checkpoints;

/// <summary>The model-card paragraph names the LeRobot versions that load the folder and, per policy, what else is needed.</summary>
public sealed class LeRobotLoadingNotesTests
{
    [Fact]
    public void SmolVla_notes_name_the_supported_versions_and_the_small_vlm_folder()
    {
        var notes = LeRobotLoadingNotes.Markdown("smolvla");
        Assert.Contains("LeRobot 0.4 and newer", notes);
        Assert.Contains("LeRobot before 0.4 is not supported", notes);
        Assert.Contains("smolvlm/config.json", notes);
    }

    [Fact]
    public void Behaviour_cloning_notes_say_only_zk0_loads_the_weights()
    {
        var notes = LeRobotLoadingNotes.Markdown("behaviour-cloning");
        Assert.Contains("LeRobot has no `behaviour-cloning` policy", notes);
        Assert.DoesNotContain("smolvlm", notes);
    }
}
