using System.Globalization;
using System.Text;

namespace Jobs.Storage;

/// <summary>One compare-and-swap on a job row: <c>SET ... WHERE id = @id AND version = @seen</c>, and the events it records if it wins.</summary>
internal sealed class JobUpdate(long jobId, long expectedVersion)
{
    private readonly StringBuilder _set = new();
    private readonly List<KeyValuePair<string, object?>> _parameters = [];

    public long JobId { get; } = jobId;
    public long ExpectedVersion { get; } = expectedVersion;
    public bool IsDelete { get; private set; }
    public List<EventToWrite> Events { get; } = [];
    public IReadOnlyList<KeyValuePair<string, object?>> Parameters => _parameters;
    public string SetClause => _set.ToString();

    /// <summary>When the job this update queues becomes ready; idle pools of other processes are woken for it.</summary>
    public DateTime? WakeAt { get; private set; }

    public JobUpdate Set(string column, object? value)
    {
        var name = "@s" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new(name, value));
        return SetRaw($"{column} = {name}");
    }

    /// <summary>A SET fragment computed from the row itself, such as <c>attempt = attempt - 1</c>.</summary>
    public JobUpdate SetRaw(string fragment)
    {
        if (_set.Length > 0)
        {
            _set.Append(", ");
        }

        _set.Append(fragment);
        return this;
    }

    /// <summary>Sets the job's last error: a short copy, as the attempt's event keeps the whole error (stored once per attempt).</summary>
    public JobUpdate SetError(JobError? error)
    {
        var brief = error is null ? null : StoredText.BriefError(error);
        return Set("last_error_type", brief?.Type).Set("last_error_message", brief?.Message).Set("last_error_stack_trace", brief?.StackTrace);
    }

    public JobUpdate Wake(DateTime at)
    {
        WakeAt = at;
        return this;
    }

    public JobUpdate Delete()
    {
        IsDelete = true;
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

    public JobUpdate Event(JobEventKind kind, int attempt, string? poolId, string? message = null, JobError? error = null, DateTime? at = null)
    {
        Events.Add(new EventToWrite(JobId, kind, attempt, poolId, message, error, at));
        return this;
    }
}
