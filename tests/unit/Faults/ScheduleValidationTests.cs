using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.Faults;

/// <summary>Names and intervals a database would reject or change are refused before anything is stored, naming the argument.</summary>
public sealed class ScheduleValidationTests
{
    internal sealed record Args(string Value);

    private static void Types(IJobsBuilder b) => b
        .AddJobType<Args>("with-args", (_, _) => Task.CompletedTask)
        .AddJobType("plain", _ => Task.CompletedTask);

    [Theory, AllProviders]
    public async Task ScheduleAsync_QueueWithNul_ThrowsArgumentExceptionNamingQueueAndStoresNothing(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => jobs.Client.ScheduleAsync("with-args", new Args("x"), new JobScheduleOptions { Queue = "mail\0eu" }));

        Assert.Equal("options.Queue", ex.ParamName);
        Assert.Contains("'mail\\u0000eu' contains the control character U+0000 at index 4", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\0", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await jobs.Monitor.CountByStatusAsync()).Values.Sum());
    }

    [Theory, AllProviders]
    public async Task ScheduleManyAsync_OneEntryWithBadQueue_RejectsTheCallNamingTheEntryAndStoresNone(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => jobs.Client.ScheduleManyAsync(
        [
            JobRequest.Create("plain"),
            JobRequest.Create("with-args", new Args("y")),
            JobRequest.Create("plain", new JobScheduleOptions { Queue = new string('q', 201) }),
            JobRequest.Create("plain"),
        ]));

        Assert.Equal("requests[2].Options.Queue", ex.ParamName);
        Assert.Contains("is 201 characters long; the database column holds at most 200", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await jobs.Monitor.CountByStatusAsync()).Values.Sum());
    }

    [Theory, AllProviders]
    public async Task ScheduleAsync_BadQueues_EachRefusedWithWhatIsWrong(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);

        foreach (var (queue, problem) in new[]
        {
            ("", "is empty or blank"),
            ("  ", "is empty or blank"),
            ("line\nbreak", "control character U+000A"),
            ("half\uD800pair", "unpaired surrogate U+D800"),
        })
        {
            var ex = await Assert.ThrowsAsync<ArgumentException>(() => jobs.Client.ScheduleAsync("plain", new JobScheduleOptions { Queue = queue }));

            Assert.Equal("options.Queue", ex.ParamName);
            Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await jobs.Monitor.CountByStatusAsync()).Values.Sum());
        var longest = await jobs.Client.ScheduleAsync("plain", new JobScheduleOptions { Queue = new string('q', 200) });
        Assert.Equal(200, (await jobs.Client.GetAsync(longest.Id)).Queue.Length);
    }

    [Theory, AllProviders]
    public async Task ScheduleAsync_TypeWithNul_ThrowsArgumentExceptionNamingType(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => jobs.Client.ScheduleAsync("pla\0in"));
        var many = await Assert.ThrowsAsync<ArgumentException>(() => jobs.Client.ScheduleManyAsync([JobRequest.Create("plain"), JobRequest.Create("pla\0in")]));

        Assert.Equal("type", ex.ParamName);
        Assert.Contains("'pla\\u0000in' contains the control character U+0000 at index 3", ex.Message, StringComparison.Ordinal);
        Assert.Equal("requests[1].Type", many.ParamName);
        Assert.Equal(0, (await jobs.Monitor.CountByStatusAsync()).Values.Sum());
    }

    [Theory, AllProviders]
    public async Task ScheduleRecurringAsync_IntervalOfOneTick_ThrowsOutOfRangeNamingIntervalAndStoresNothing(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => jobs.Client.ScheduleRecurringAsync("plain", TimeSpan.FromTicks(1)));

        Assert.Equal("interval", ex.ParamName);
        Assert.Contains("must be between 1 ms and 366 days (was 00:00:00.0000001)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await jobs.Monitor.CountByStatusAsync()).Values.Sum());
    }

    [Theory, AllProviders]
    public async Task ScheduleRecurringAsync_IntervalNotWholeMilliseconds_ThrowsOutOfRangeInsteadOfRounding(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => jobs.Client.ScheduleRecurringAsync("with-args", new Args("z"), TimeSpan.FromMicroseconds(1_500)));
        var many = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => jobs.Client.ScheduleManyAsync(
            [JobRequest.CreateRecurring("plain", TimeSpan.FromSeconds(1)), JobRequest.CreateRecurring("plain", TimeSpan.FromSeconds(1).Add(TimeSpan.FromTicks(1)))]));

        Assert.Equal("interval", ex.ParamName);
        Assert.Contains("must be a whole number of milliseconds", ex.Message, StringComparison.Ordinal);
        Assert.Contains("was 1.5 ms", ex.Message, StringComparison.Ordinal);
        Assert.Equal("requests[1].Interval", many.ParamName);
        Assert.Equal(0, (await jobs.Monitor.CountByStatusAsync()).Values.Sum());
    }

    [Theory, AllProviders]
    public async Task ScheduleRecurringAsync_OneMillisecond_StoredAsOneMillisecond(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), Types, startPool: false);

        var job = await jobs.Client.ScheduleRecurringAsync("plain", TimeSpan.FromMilliseconds(1));

        Assert.Equal(TimeSpan.FromMilliseconds(1), job.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(1), (await jobs.Client.GetAsync(job.Id)).Interval);
    }

    [Fact]
    public void AddJobType_NameWithNul_ThrowsArgumentExceptionNamingName()
    {
        var builder = new ServiceCollection().AddJobs();

        var ex = Assert.Throws<ArgumentException>(() => builder.AddJobType("bad\0name", _ => Task.CompletedTask));
        var tooLong = Assert.Throws<ArgumentException>(() => builder.AddJobType(new string('t', 201), _ => Task.CompletedTask));

        Assert.Equal("name", ex.ParamName);
        Assert.Contains("'bad\\u0000name' contains the control character U+0000 at index 3", ex.Message, StringComparison.Ordinal);
        Assert.Equal("name", tooLong.ParamName);
        Assert.Contains("is 201 characters long", tooLong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddJobType_QueueWithNul_ThrowsArgumentExceptionNamingTheOption()
    {
        var builder = new ServiceCollection().AddJobs();

        var ex = Assert.Throws<ArgumentException>(() => builder.AddJobType("fine-name", _ => Task.CompletedTask, t => t.Queue = "q\0"));

        Assert.Equal("configure", ex.ParamName);
        Assert.Contains("JobTypeOptions.Queue 'q\\u0000' contains the control character U+0000 at index 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_DefaultQueueOrPoolQueueWithNul_FailValidationNamingTheOption()
    {
        var services = new ServiceCollection();
        services.AddJobs(o =>
        {
            o.DefaultQueue = "d\0";
            o.Pool.Queues.Add("p\0");
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<JobsOptions>>().Value);

        Assert.Contains("Jobs:DefaultQueue must be 1 to 200 printable characters long; 'd\\u0000' contains the control character U+0000", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Jobs:Pool:Queues must hold queue names of 1 to 200 printable characters; 'p\\u0000' contains", ex.Message, StringComparison.Ordinal);
    }
}
