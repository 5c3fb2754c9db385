namespace Jobs.Storage;

/// <summary>One compare-and-swap on a job row: <see cref="Change"/> applies only while the row is still at
/// <see cref="ExpectedVersion"/>, and the events are recorded only if it wins.</summary>
internal sealed class JobUpdate(long jobId, long expectedVersion, JobChange change)
{
    public long JobId { get; } = jobId;
    public long ExpectedVersion { get; } = expectedVersion;
    public JobChange Change { get; } = change;
    public List<EventToWrite> Events { get; } = [];

    /// <summary>When the job this update queues becomes ready; idle pools of other processes are woken for it.</summary>
    public DateTime? WakeAt { get; private set; }

    public JobUpdate Wake(DateTime at)
    {
        WakeAt = at;
        return this;
    }

    public JobUpdate StampEvents(DateTime at)
    {
        for (var i = 0; i < Events.Count; i++)
        {
            Events[i] = Events[i] with { At = Events[i].At ?? at };
        }

        return this;
    }

    /// <summary>Names who asked for this change on each of its events (the audit log); null leaves them the engine's own.</summary>
    public JobUpdate By(string? actor)
    {
        for (var i = 0; i < Events.Count; i++)
        {
            Events[i] = Events[i] with { Actor = actor };
        }

        return this;
    }

    public JobUpdate Event(JobEventKind kind, int attempt, string? poolId, string? message = null, JobError? error = null, DateTime? at = null)
    {
        Events.Add(new EventToWrite(JobId, kind, attempt, poolId, message, error, at));
        return this;
    }
}
