using System.Globalization;
using System.Text;

namespace Jobs.Storage.Sql;

/// <summary>The one place a <see cref="JobChange"/> becomes column assignments: a new column of the jobs table is one line here.</summary>
internal static class ChangeSql
{
    /// <summary>The SET list of <paramref name="change"/> (without the version bump), with its parameters named
    /// <c>@s0</c>, <c>@s1</c>... in <paramref name="parameters"/>.</summary>
    public static string SetList(JobChange change, StorageProvider provider, List<KeyValuePair<string, object?>> parameters)
    {
        var set = new StringBuilder();
        void Raw(string fragment) => set.Append(set.Length == 0 ? "" : ", ").Append(fragment);
        void Value(string column, object? value)
        {
            var name = "@s" + parameters.Count.ToString(CultureInfo.InvariantCulture);
            parameters.Add(new(name, value));
            Raw($"{column} = {name}");
        }

        if (change.Progress is { } progress)
        {
            Value("progress_percent", progress.Percent);
            Value("progress_message", StoredText.CleanOrNull(progress.Message, StoredText.ProgressMessageMax));
        }

        if (change.Status is { } status)
        {
            Value("status", status);
        }

        switch (change.Attempt)
        {
            case AttemptChange.Reset:
                Raw("attempt = 0");
                break;
            case AttemptChange.Undo:
                Raw("attempt = attempt - 1");
                break;
        }

        if (change.RunAt is { } runAt)
        {
            Value("run_at", runAt);
        }

        if (change.ScheduledAt is { } scheduledAt)
        {
            Value("scheduled_at", scheduledAt);
        }

        if (change.FinishedAt is { } finishedAt)
        {
            Value("finished_at", finishedAt);
        }

        if (change.LeavesPool)
        {
            Raw("pool_id = NULL");
        }

        if (change.CancelRequested is { } cancel)
        {
            Raw("cancel_requested = " + (cancel ? provider.True : provider.False));
        }

        if (change.PauseRequested is { } pause)
        {
            Raw("pause_requested = " + (pause ? provider.True : provider.False));
        }

        if (change.SetsError)
        {
            // A short copy: the attempt's event keeps the whole error (stored once per attempt).
            var brief = change.Error is null ? null : StoredText.BriefError(change.Error);
            Value("last_error_type", brief?.Type);
            Value("last_error_message", brief?.Message);
            Value("last_error_stack_trace", brief?.StackTrace);
        }

        if (change.Payload is { } payload)
        {
            Value("payload", payload);
        }

        if (set.Length == 0)
        {
            throw new InvalidOperationException("A job change must change something.");
        }

        return set.ToString();
    }
}
