using Jobs.Dashboard.Components;
using Jobs.States;

namespace Jobs.Tests.Dashboard;

public sealed class PageActionsTests
{
    public static TheoryData<JobAction, JobStatus> Pairs()
    {
        var data = new TheoryData<JobAction, JobStatus>();
        foreach (var action in Enum.GetValues<JobAction>())
        {
            foreach (var status in Enum.GetValues<JobStatus>())
            {
                data.Add(action, status);
            }
        }

        return data;
    }

    /// <summary>The bulk buttons are offered per status tab; they must offer an action exactly where the engine's state machine
    /// lets it apply to some job of that status (one-off or recurring).</summary>
    [Theory, MemberData(nameof(Pairs))]
    public void Applies_EveryActionAndStatus_AgreesWithTheStateMachine(JobAction action, JobStatus status)
    {
        var engine = JobStateMachine.Decide(action, new JobState(status, Recurring: false)).Allowed
            || JobStateMachine.Decide(action, new JobState(status, Recurring: true)).Allowed;

        Assert.Equal(engine, PageActions.Applies(action, status));
    }
}
