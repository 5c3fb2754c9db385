using System.Collections.Concurrent;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Faults;

/// <summary>Without a crash each job runs exactly once per attempt, also when the CPU is contended and the pool claims many
/// small batches from the fetcher and the completer at once while its heartbeat looks for stray claims.</summary>
public sealed class ExactlyOnceStressTests
{
    private const int Rounds = 50;
    private const int JobsPerRound = 60;

    internal sealed record Item(int N);

    [Theory, AllProviders]
    public async Task Pool_ManySmallBatchesUnderCpuContention_EachHandlerRunsExactlyOnce(string provider)
    {
        var runs = new ConcurrentDictionary<long, int>();
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b.AddJobType<Item>("noop", (_, ctx) =>
        {
            runs.AddOrUpdate(ctx.JobId, 1, (_, c) => c + 1);
            return Task.CompletedTask;
        }), o =>
        {
            o.Pool.NumWorkers = 4;
            o.Pool.BatchSize = 4;
            o.Pool.MinWait = TimeSpan.FromMilliseconds(1);
            o.Pool.HeartbeatInterval = TimeSpan.FromMilliseconds(100); // The shortest allowed: as many stray checks as possible.
        });

        using var contention = new CpuContention(Environment.ProcessorCount);
        var scheduled = 0;
        for (var round = 0; round < Rounds; round++)
        {
            // One by one, so the pool wakes for each and claims small batches from both the fetcher and the completer.
            for (var i = 0; i < JobsPerRound; i++)
            {
                await jobs.Client.ScheduleAsync("noop", new Item(i));
            }

            scheduled += JobsPerRound;
            var expected = scheduled;
            await Eventually.TrueAsync(async () => (await jobs.Monitor.CountByStatusAsync())[JobStatus.Finished] == expected,
                () => $"{expected} finished jobs in round {round}", TimeSpan.FromMinutes(2));
        }

        var twice = runs.Where(r => r.Value != 1).Select(r => $"job {r.Key} ran {r.Value} times").ToList();
        Assert.True(twice.Count == 0, string.Join("; ", twice));
        Assert.Equal(scheduled, runs.Count);
    }

    /// <summary>Busy threads, one per core, as two busy processes beside the pool would be.</summary>
    private sealed class CpuContention : IDisposable
    {
        private readonly Thread[] _threads;
        private volatile bool _stop;

        public CpuContention(int threads)
        {
            _threads = [.. Enumerable.Range(0, threads).Select(_ => new Thread(Spin) { IsBackground = true })];
            foreach (var thread in _threads)
            {
                thread.Start();
            }
        }

        private void Spin()
        {
            var x = 0UL;
            while (!_stop)
            {
                x = x * 6364136223846793005UL + 1442695040888963407UL;
            }

            GC.KeepAlive(x);
        }

        public void Dispose()
        {
            _stop = true;
            foreach (var thread in _threads)
            {
                thread.Join();
            }
        }
    }
}
