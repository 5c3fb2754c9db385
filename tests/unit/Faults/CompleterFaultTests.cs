using Jobs.Storage;
using Jobs.Storage.Sql;
using Jobs.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Faults;

/// <summary>An outcome the database refuses (not a database that is away) must not hold back the pool's other outcomes.</summary>
public sealed class CompleterFaultTests
{
    [Theory, AllProviders]
    public async Task Completer_DatabaseRefusesOneOutcome_OthersAreStoredAndThatJobFailsWithANote(string provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        await using var jobs = await JobsHarness.CreateAsync(database, b => b
            .AddJobType("poisoned", _ => throw new PoisonedException("refuse me"), t => t.MaxRetries = 0)
            .AddJobType("plain", _ => Task.CompletedTask), o => o.Pool.NumWorkers = 1, startPool: false);
        await jobs.Services.GetRequiredService<StorageInitializer>().EnsureInitializedAsync(CancellationToken.None);
        await RefuseErrorsOfAsync(jobs, provider, nameof(PoisonedException));

        var poisoned = await jobs.Client.ScheduleAsync("poisoned", new JobScheduleOptions { Priority = 1 });
        var plain = new List<Job>();
        for (var i = 0; i < 4; i++)
        {
            plain.Add(await jobs.Client.ScheduleAsync("plain"));
        }

        await jobs.Pool.StartAsync();
        foreach (var job in plain)
        {
            await Eventually.StatusAsync(job, JobStatus.Finished);
        }

        await Eventually.StatusAsync(poisoned, JobStatus.Failed);
        Assert.NotNull(poisoned.LastError);
        Assert.Contains("could not be stored", poisoned.LastError.Message, StringComparison.Ordinal);
        Assert.Contains("refuse me", poisoned.LastError.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(PoisonedException).FullName, poisoned.LastError.Type);
        var history = await poisoned.GetHistoryAsync();
        Assert.Single(history, e => e.Kind == JobEventKind.Started);
        Assert.Single(history, e => e.Kind == JobEventKind.Failed);
    }

    /// <summary>A trigger that refuses any write carrying a stack trace that names <paramref name="marker"/>, as a database
    /// refuses a value it cannot store: the same write fails however often it is retried.</summary>
    private static async Task RefuseErrorsOfAsync(JobsHarness jobs, string provider, string marker)
    {
        var db = jobs.Services.GetRequiredService<SqlJobDriver>().CreateContext();
        await using (db)
        {
            string[] statements = provider switch
            {
                TestDatabases.Sqlite =>
                [
                    $"CREATE TRIGGER refuse_update BEFORE UPDATE ON jobs WHEN NEW.last_error_stack_trace LIKE '%{marker}%' BEGIN SELECT RAISE(ABORT, 'refused'); END",
                    $"CREATE TRIGGER refuse_event BEFORE INSERT ON job_events WHEN NEW.error_stack_trace LIKE '%{marker}%' BEGIN SELECT RAISE(ABORT, 'refused'); END",
                ],
                TestDatabases.Postgres =>
                [
                    $"""
                    CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF TG_TABLE_NAME = 'jobs' THEN
                            IF NEW.last_error_stack_trace LIKE '%{marker}%' THEN
                                RAISE EXCEPTION 'refused' USING ERRCODE = '22021';
                            END IF;
                        ELSIF NEW.error_stack_trace LIKE '%{marker}%' THEN
                            RAISE EXCEPTION 'refused' USING ERRCODE = '22021';
                        END IF;
                        RETURN NEW;
                    END $$
                    """,
                    "CREATE TRIGGER refuse_update BEFORE UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION refuse()",
                    "CREATE TRIGGER refuse_event BEFORE INSERT ON job_events FOR EACH ROW EXECUTE FUNCTION refuse()",
                ],
                _ => throw new NotSupportedException(provider),
            };
            foreach (var sql in statements)
            {
                await db.Database.ExecuteSqlRawAsync(sql);
            }
        }
    }

    private sealed class PoisonedException(string message) : Exception(message);
}
