using System.Data.Common;
using System.Globalization;
using Jobs.Storage.Model;

namespace Jobs.Storage.Sql;

/// <summary>The jobs table's columns as the hand-written statements return them: <see cref="Names"/> and <see cref="Read"/>
/// share one order, kept here side by side.</summary>
internal static class JobColumns
{
    /// <summary>Every column in <see cref="Read"/>'s order; the last is the version, which each provider reads its own way.</summary>
    public static readonly string[] Names =
    [
        "id", "type", "queue", "payload", "priority", "run_at", "scheduled_at", "interval_ms", "status", "max_retries", "attempt",
        "pool_id", "started_at", "finished_at", "created_at", "last_error_type", "last_error_message", "last_error_stack_trace",
        "cancel_requested", "unique_key", "progress_percent", "progress_message", "pause_requested", "trace_parent", "trace_state",
        "version",
    ];

    public static JobRecord Read(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        Type = r.GetString(1),
        Queue = r.GetString(2),
        Payload = r.IsDBNull(3) ? null : r.GetString(3),
        Priority = r.GetInt32(4),
        RunAt = Utc(r.GetDateTime(5)),
        ScheduledAt = Utc(r.GetDateTime(6)),
        IntervalMs = r.IsDBNull(7) ? null : r.GetInt64(7),
        Status = (JobStatus)r.GetInt32(8),
        MaxRetries = r.GetInt32(9),
        Attempt = r.GetInt32(10),
        PoolId = r.IsDBNull(11) ? null : r.GetString(11),
        StartedAt = r.IsDBNull(12) ? null : Utc(r.GetDateTime(12)),
        FinishedAt = r.IsDBNull(13) ? null : Utc(r.GetDateTime(13)),
        CreatedAt = Utc(r.GetDateTime(14)),
        LastErrorType = r.IsDBNull(15) ? null : r.GetString(15),
        LastErrorMessage = r.IsDBNull(16) ? null : r.GetString(16),
        LastErrorStackTrace = r.IsDBNull(17) ? null : r.GetString(17),
        CancelRequested = r.GetBoolean(18),
        UniqueKey = r.IsDBNull(19) ? null : r.GetString(19),
        ProgressPercent = r.IsDBNull(20) ? null : r.GetInt32(20),
        ProgressMessage = r.IsDBNull(21) ? null : r.GetString(21),
        PauseRequested = r.GetBoolean(22),
        TraceParent = r.IsDBNull(23) ? null : r.GetString(23),
        TraceState = r.IsDBNull(24) ? null : r.GetString(24),
        Version = Convert.ToInt64(r.GetValue(25), CultureInfo.InvariantCulture),
    };

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
