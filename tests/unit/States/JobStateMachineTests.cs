using Jobs.Execution;
using Jobs.States;

namespace Jobs.Tests.States;

/// <summary>The whole table of the job state machine: what each action does from each state, for one-off and recurring jobs,
/// and how an attempt ends when its outcome's compare-and-swap lost or its pool died.</summary>
public sealed class JobStateMachineTests
{
    private const string No = "refused";
    private const string None = "-"; // Not a state such a job can be in.

    private static readonly Dictionary<string, Func<bool, JobState>> States = new()
    {
        ["Queued"] = r => new JobState(JobStatus.Queued, r),
        ["Executing"] = r => new JobState(JobStatus.Executing, r),
        ["CancelRequested"] = r => new JobState(JobStatus.Executing, r, CancelRequested: true),
        ["PauseRequested"] = r => new JobState(JobStatus.Executing, r, CancelRequested: true, PauseRequested: true),
        ["Finished"] = r => new JobState(JobStatus.Finished, r),
        ["Failed"] = r => new JobState(JobStatus.Failed, r),
        ["Cancelled"] = r => new JobState(JobStatus.Cancelled, r),
        ["Paused"] = r => new JobState(JobStatus.Paused, r, CancelRequested: true, PauseRequested: true),
    };

    // Columns in the order of States: Queued, Executing, CancelRequested, PauseRequested, Finished, Failed, Cancelled, Paused.
    private static readonly (JobAction Action, bool Recurring, string[] Expected)[] Table =
    [
        (JobAction.Retry, false, [No, No, No, None, "Requeue", "Requeue", "Requeue", No]),
        (JobAction.Retry, true, [No, No, No, No, "Requeue", "Requeue", "Requeue", No]),
        (JobAction.RunNow, false, ["RunNow", No, No, None, No, No, No, No]),
        (JobAction.RunNow, true, ["RunNow", No, No, No, No, No, No, No]),
        (JobAction.Cancel, false, ["Cancel", "RequestCancel", "AlreadyRequested", None, No, No, No, No]),
        (JobAction.Cancel, true, ["Cancel", "RequestCancel", "AlreadyRequested", "AlreadyRequested", No, No, No, No]),
        (JobAction.Delete, false, ["Delete", "Delete", "Delete", None, "Delete", "Delete", "Delete", "Delete"]),
        (JobAction.Delete, true, ["Delete", "Delete", "Delete", "Delete", "Delete", "Delete", "Delete", "Delete"]),
        (JobAction.Pause, false, [No, No, No, None, No, No, No, No]),
        (JobAction.Pause, true, ["Pause", "RequestPause", "RequestPause", "AlreadyRequested", No, No, No, No]),
        (JobAction.Resume, false, [No, No, No, None, No, No, No, No]),
        (JobAction.Resume, true, [No, No, No, No, "Resume", "Resume", "Resume", "Resume"]),
    ];

    public static TheoryData<JobAction, bool, string, string> Rows()
    {
        var rows = new TheoryData<JobAction, bool, string, string>();
        foreach (var (action, recurring, expected) in Table)
        {
            foreach (var (state, i) in States.Keys.Select((s, i) => (s, i)).Where(x => expected[x.i] != None))
            {
                rows.Add(action, recurring, state, expected[i]);
            }
        }

        return rows;
    }

    [Theory, MemberData(nameof(Rows))]
    public void Decide_ActionFromState_MakesTheTablesTransition(JobAction action, bool recurring, string state, string expected)
    {
        var decision = JobStateMachine.Decide(action, States[state](recurring));

        Assert.Equal(expected, decision.Transition?.ToString() ?? No);
        Assert.Equal(decision.Allowed, decision.Transition is not null);
        Assert.Equal(decision.Allowed, decision.Refusal is null);
        if (!decision.Allowed)
        {
            Assert.False(string.IsNullOrWhiteSpace(decision.Refusal));
        }
    }

    [Fact]
    public void Table_EveryActionForOneOffAndRecurringJobs_HasARowAndUsesEveryTransition()
    {
        Assert.Equal(
            Enum.GetValues<JobAction>().SelectMany(a => new[] { (a, false), (a, true) }).Order(),
            Table.Select(r => (r.Action, r.Recurring)).Order());
        Assert.All(Table, r => Assert.Equal(States.Count, r.Expected.Length));
        var used = Table.SelectMany(r => r.Expected).Concat(["Move", "RequeueAt"]).ToHashSet();
        Assert.All(Enum.GetNames<JobTransition>(), t => Assert.Contains(t, used));
    }

    [Theory]
    [InlineData("Queued", "Move")]
    [InlineData("Executing", No)]
    [InlineData("CancelRequested", No)]
    [InlineData("PauseRequested", No)]
    [InlineData("Finished", "RequeueAt")]
    [InlineData("Failed", "RequeueAt")]
    [InlineData("Cancelled", "RequeueAt")]
    [InlineData("Paused", "RequeueAt")]
    public void Reschedule_EachState_MovesQueuedRefusesExecutingAndQueuesTheRestAgain(string state, string expected)
    {
        foreach (var recurring in (bool[])[false, true])
        {
            Assert.Equal(expected, JobStateMachine.Reschedule(States[state](recurring)).Transition?.ToString() ?? No);
        }
    }

    [Fact]
    public void Decide_UndefinedAction_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => JobStateMachine.Decide((JobAction)99, new JobState(JobStatus.Queued, false)));

    [Theory]
    [InlineData(nameof(OutcomeKind.Succeeded))]
    [InlineData(nameof(OutcomeKind.Retry))]
    [InlineData(nameof(OutcomeKind.Failed))]
    [InlineData(nameof(OutcomeKind.Cancelled))]
    [InlineData(nameof(OutcomeKind.Released))]
    public void AfterLostSwap_WhateverTheHandlerReached_ARequestedCancelOrPauseWins(string outcome)
    {
        var reached = Enum.Parse<OutcomeKind>(outcome);
        foreach (var recurring in (bool[])[false, true])
        {
            Assert.Equal(reached, JobStateMachine.AfterLostSwap(reached, States["Executing"](recurring)));
            Assert.Equal(OutcomeKind.Cancelled, JobStateMachine.AfterLostSwap(reached, States["CancelRequested"](recurring)));
        }

        Assert.Equal(OutcomeKind.Paused, JobStateMachine.AfterLostSwap(reached, States["PauseRequested"](true)));
    }

    [Fact]
    public void Orphaned_ExecutingJobOfADeadPool_CancelledPausedRescuedOrFailed()
    {
        Assert.Equal(OutcomeKind.Rescued, JobStateMachine.Orphaned(States["Executing"](false), retriesLeft: true));
        Assert.Equal(OutcomeKind.Failed, JobStateMachine.Orphaned(States["Executing"](false), retriesLeft: false));
        Assert.Equal(OutcomeKind.Cancelled, JobStateMachine.Orphaned(States["CancelRequested"](true), retriesLeft: true));
        Assert.Equal(OutcomeKind.Cancelled, JobStateMachine.Orphaned(States["CancelRequested"](false), retriesLeft: false));
        Assert.Equal(OutcomeKind.Paused, JobStateMachine.Orphaned(States["PauseRequested"](true), retriesLeft: false));
    }

    [Fact]
    public void JobActionWords_EveryAction_HasItsOwnVerbAndPastTense()
    {
        var actions = Enum.GetValues<JobAction>();

        Assert.Equal(
            ["Retry", "Run now", "Cancel", "Delete", "Pause", "Resume"],
            actions.Select(JobActionWords.Verb));
        Assert.Equal(
            ["retried", "made due", "cancelled", "deleted", "paused", "resumed"],
            actions.Select(JobActionWords.PastTense));
        Assert.Throws<ArgumentOutOfRangeException>(() => JobActionWords.PastTense((JobAction)99));
    }
}
