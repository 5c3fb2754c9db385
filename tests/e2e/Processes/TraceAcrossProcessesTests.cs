using System.Collections.Concurrent;
using System.Diagnostics;

namespace Jobs.E2E.Processes;

/// <summary>The trace that scheduled a job continues where it runs: this process schedules under an activity, a
/// tests/worker process executes, and its attempt's span links to the scheduling span.</summary>
public sealed class TraceAcrossProcessesTests
{
    [Fact]
    public async Task ScheduleAsync_UnderAnActivity_WorkerProcessSpanLinksToTheScheduleSpan()
    {
        var path = Path.Combine(Path.GetTempPath(), $"jobs-e2e-trace-{Guid.NewGuid():N}.db");
        var connection = $"Data Source={path}";
        try
        {
            await using var db = await LedgerDatabase.CreateAsync("sqlite", connection);
            using var caller = new ActivitySource("Jobs.E2E.Caller");
            var stopped = new ConcurrentQueue<Activity>();
            using var listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name is "Jobs" or "Jobs.E2E.Caller",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(listener);

            Job job;
            ActivityTraceId traceId;
            using (var request = caller.StartActivity("POST /orders", ActivityKind.Server)!)
            {
                request.TraceStateString = "e2e=1";
                traceId = request.TraceId;
                job = await db.Client.ScheduleAsync("ledger", new LedgerItem(1));
            }

            var schedule = Assert.Single(stopped, a => a.OperationName == "job.schedule ledger" && (long?)a.GetTagItem("job.id") == job.Id);
            Assert.Equal((ActivityKind.Producer, traceId), (schedule.Kind, schedule.TraceId));

            await using var worker = await WorkerProcess.StartAsync("trace-worker", "--provider", "sqlite", "--connection", connection,
                "--workers", "1", "--min-wait-ms", "50", "--print-links", "true");
            var line = await worker.WaitForLineAsync(l => l.StartsWith($"LINK {job.Id} ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            await worker.StopAsync();

            Assert.Equal($"LINK {job.Id} {schedule.Id} e2e=1", line);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
