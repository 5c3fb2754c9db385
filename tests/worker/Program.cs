using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.InteropServices;
using Jobs;
using Jobs.TestWorker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Usage: Jobs.TestWorker --provider postgres|sqlite --connection CS --name NAME [--workers 8] [--stale-timeout-ms 30000]
//        [--heartbeat-ms 1000] [--min-wait-ms 200] [--job-delay-ms 0] [--print-links true]
// Prints "READY <pool id>" once the pool runs; stops gracefully on SIGTERM or when standard input closes, printing
// "CLAIMS <claimed>" from the engine's Meter first. With --print-links, prints "LINK <job id> <traceparent> <tracestate>" for
// each link of each attempt's span (the context that scheduled the job, in whichever process).
var settings = WorkerSettings.Parse(args);

long claimed = 0;
using var meters = new MeterListener();
meters.InstrumentPublished = (instrument, listener) =>
{
    if (instrument.Meter.Name == "Jobs" && instrument.Name == "jobs.claim.attempted")
    {
        listener.EnableMeasurementEvents(instrument);
    }
};
meters.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
    Interlocked.Add(ref claimed, value));
meters.Start();

using var spans = new ActivityListener
{
    ShouldListenTo = s => settings.PrintLinks && s.Name == "Jobs",
    Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    ActivityStopped = a =>
    {
        foreach (var link in a.Links)
        {
            var c = link.Context;
            var parent = $"00-{c.TraceId.ToHexString()}-{c.SpanId.ToHexString()}-{(c.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00")}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LINK {a.GetTagItem("job.id")} {parent} {c.TraceState}"));
        }
    },
};
ActivitySource.AddActivityListener(spans);

var services = new ServiceCollection();
services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
var ledger = new Ledger(settings.Provider, settings.ConnectionString, settings.Name);
services.AddJobs(o =>
{
    if (settings.Provider == "postgres")
    {
        o.UseNpgsql(settings.ConnectionString);
    }
    else
    {
        o.UseSqlite(settings.ConnectionString);
        o.Database.SqliteSynchronous = SqliteSynchronousMode.Normal;
    }

    o.Database.AutoMigrate = true;
    o.Pool.NumWorkers = settings.Workers;
    o.Pool.MinWait = settings.MinWait;
    o.Pool.HeartbeatInterval = settings.HeartbeatInterval;
    o.Pool.StaleTimeout = settings.StaleTimeout;
    o.Pool.ShutdownTimeout = TimeSpan.FromSeconds(10);
}).AddJobType<LedgerItem>("ledger", async (item, ctx) =>
{
    if (settings.JobDelay > TimeSpan.Zero)
    {
        await Task.Delay(settings.JobDelay, ctx.CancellationToken);
    }

    await ledger.RecordAsync(ctx.JobId, ctx.Attempt, item.N, ctx.CancellationToken);
}, t =>
{
    t.MaxRetries = 20;
    t.Backoff.BaseDelay = TimeSpan.FromMilliseconds(100);
});

await using var provider = services.BuildServiceProvider();
var pool = provider.GetRequiredService<JobPool>();
await pool.StartAsync();
Console.WriteLine($"READY {pool.Id}");

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
{
    c.Cancel = true;
    stop.TrySetResult();
});
_ = Task.Run(() =>
{
    while (Console.In.ReadLine() is not null)
    {
    }

    stop.TrySetResult();
});

await stop.Task;
await pool.StopAsync();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CLAIMS {Interlocked.Read(ref claimed)}"));
