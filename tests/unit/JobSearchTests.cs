using System.Text.Json;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests;

/// <summary>The text search of the job list and of bulk actions (<see cref="JobQuery.Search"/>): what a user types into the
/// dashboard's search box finds the jobs whose payload or error shows that text, on every provider.</summary>
public sealed class JobSearchTests
{
    internal sealed record Note(string Text);

    [Theory, AllProviders]
    public async Task ListAsync_SearchWithApostrophe_FindsPayloadWithApostrophe(string provider)
    {
        await using var jobs = await CreateAsync(provider);
        var obrien = await ScheduleAsync(jobs, "O'Brien");
        await ScheduleAsync(jobs, "Brien");

        Assert.Equal([obrien.Id], await FindAsync(jobs, "'"));
        Assert.Equal([obrien.Id], await FindAsync(jobs, "O'Brien"));
        Assert.Equal([obrien.Id], await FindAsync(jobs, "o'BRIEN"));
        Assert.Equal("""{"text":"O'Brien"}""", obrien.Payload);
    }

    [Theory, AllProviders]
    public async Task ListAsync_SearchWithDoubleQuotes_FindsQuotedValueAndJsonAroundValues(string provider)
    {
        await using var jobs = await CreateAsync(provider);
        var quoted = await ScheduleAsync(jobs, "say \"hi\" twice");
        var plain = await ScheduleAsync(jobs, "hi");

        Assert.Equal([quoted.Id], await FindAsync(jobs, "say \"hi\""));
        Assert.Equal([quoted.Id], await FindAsync(jobs, "\"hi\" twice"));
        Assert.Contains(quoted.Id, await FindAsync(jobs, "\""));
        // The JSON the dashboard shows around the values is found too.
        Assert.Equal([plain.Id], await FindAsync(jobs, "\"text\":\"hi\""));
    }

    [Theory, AllProviders]
    public async Task ListAsync_SearchWithBackslash_FindsOnlyPayloadsWithABackslash(string provider)
    {
        await using var jobs = await CreateAsync(provider);
        var path = await ScheduleAsync(jobs, @"c\data\in");
        var quoted = await ScheduleAsync(jobs, "say \"hi\"");
        var lines = await ScheduleAsync(jobs, "one\ntwo\tthree");
        await ScheduleAsync(jobs, "cd");

        Assert.Equal([path.Id], await FindAsync(jobs, @"c\d"));
        Assert.Equal([path.Id], await FindAsync(jobs, @"C\DATA\"));
        Assert.Equal([path.Id], await FindAsync(jobs, @"\"));
        Assert.Equal([path.Id], await FindAsync(jobs, @"\d"));

        // Copied from the JSON the list shows, where every backslash starts an escape.
        Assert.Equal([path.Id], await FindAsync(jobs, @"c\\data\\"));
        Assert.Equal([quoted.Id], await FindAsync(jobs, "say \\\"hi\\\""));
        Assert.Equal([lines.Id], await FindAsync(jobs, @"one\ntwo\t"));
    }

    [Theory, AllProviders]
    public async Task ListAsync_SearchWithLikeWildcards_TakesThemLiterally(string provider)
    {
        await using var jobs = await CreateAsync(provider);
        var percent = await ScheduleAsync(jobs, "50% off");
        await ScheduleAsync(jobs, "500 off");
        var underscore = await ScheduleAsync(jobs, "a_b");
        await ScheduleAsync(jobs, "axb");
        var bracket = await ScheduleAsync(jobs, "[x] done");
        await ScheduleAsync(jobs, "x done");

        Assert.Equal([percent.Id], await FindAsync(jobs, "50%"));
        Assert.Equal([percent.Id], await FindAsync(jobs, "%"));
        Assert.Equal([underscore.Id], await FindAsync(jobs, "a_b"));
        Assert.Equal([underscore.Id], await FindAsync(jobs, "_"));
        Assert.Equal([bracket.Id], await FindAsync(jobs, "[x]"));
        Assert.Equal([bracket.Id], await FindAsync(jobs, "[x"));
    }

    [Theory, AllProviders]
    public async Task ListAsync_SearchNonAsciiInOtherCase_FindsPayloadAndType(string provider)
    {
        await using var jobs = await CreateAsync(provider);
        var uber = await ScheduleAsync(jobs, "Über den Wolken");
        await ScheduleAsync(jobs, "uber");
        var emoji = await ScheduleAsync(jobs, "ok 😀");
        var tokyo = await ScheduleAsync(jobs, "東京 Office");
        var street = await ScheduleAsync(jobs, "GROẞE Straße");
        var counting = await jobs.Client.ScheduleAsync("Zählung", new Note("n"));

        // Repeated: each search borrows pooled connections, which must keep what was set up on them.
        for (var round = 0; round < 2; round++)
        {
            Assert.Equal([uber.Id], await FindAsync(jobs, "über"));
            Assert.Equal([uber.Id], await FindAsync(jobs, "ÜBER"));
            Assert.Equal([uber.Id], await FindAsync(jobs, "WOLKEN"));
            Assert.Equal([emoji.Id], await FindAsync(jobs, "😀"));
            Assert.Equal([tokyo.Id], await FindAsync(jobs, "東京 OFFICE"));
            Assert.Equal([street.Id], await FindAsync(jobs, "große straße"));
            Assert.Equal([counting.Id], await FindAsync(jobs, "ZÄHL"));
        }

        Assert.Equal("""{"text":"Über den Wolken"}""", uber.Payload);
    }

    [Theory, AllProviders]
    public async Task ListAsync_SearchErrorNonAsciiInOtherCase_FindsFailedJob(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b
            .AddJobType<Note>("fails", (n, _) => throw new InvalidOperationException("ÄRGER im Lager: " + n.Text))
            .AddJobType<Note>("p", (_, _) => Task.CompletedTask));
        var failed = await jobs.Client.ScheduleAsync("fails", new Note("x"), new JobScheduleOptions { MaxRetries = 0 });
        var finished = await jobs.Client.ScheduleAsync("p", new Note("Lager"));
        await Eventually.StatusAsync(failed, JobStatus.Failed);
        await Eventually.StatusAsync(finished, JobStatus.Finished);

        Assert.Equal([failed.Id], await FindAsync(jobs, "ärger"));
        Assert.Equal([failed.Id], await FindAsync(jobs, "ÄRGER IM"));
        Assert.Equal([failed.Id], await FindAsync(jobs, "invalidoperation"));
        Assert.Equal([failed.Id, finished.Id], await FindAsync(jobs, "lager"));
    }

    [Theory, AllProviders]
    public async Task ListAsync_SearchWithCountAtMostAndPages_BoundsTheTotalAndPagesMatchesOnly(string provider)
    {
        await using var jobs = await CreateAsync(provider);
        var matching = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            matching.Add((await ScheduleAsync(jobs, $"Ärger {i}")).Id);
            await ScheduleAsync(jobs, $"calm {i}");
        }

        var first = await jobs.Monitor.ListAsync(new JobQuery { Search = "ärger", Sort = JobSort.Id, Take = 3, CountAtMost = 5 });
        var last = await jobs.Monitor.ListAsync(new JobQuery { Search = "ärger", Sort = JobSort.Id, Skip = 6, Take = 3, CountAtMost = 5 });
        var exact = await jobs.Monitor.ListAsync(new JobQuery { Search = "ärger", Take = 1 });

        Assert.Equal(6, first.Total);
        Assert.Equal(matching[..3], first.Items.Select(j => j.Id));
        Assert.Equal(matching[6..], last.Items.Select(j => j.Id));
        Assert.Equal(8, exact.Total);
        Assert.Equal(matching[0], (await jobs.Monitor.ListAsync(new JobQuery { Search = $"#{matching[0]}" })).Items.Single().Id);
    }

    [Theory, AllProviders]
    public async Task ApplyAsync_FilterWithNonAsciiSearch_ActsOnMatchesOnly(string provider)
    {
        await using var jobs = await CreateAsync(provider);
        var uber = await ScheduleAsync(jobs, "Über");
        var other = await ScheduleAsync(jobs, "uber");
        var admin = jobs.Services.GetRequiredService<IJobAdmin>();

        var result = await admin.ApplyAsync(JobAction.Cancel, new JobQuery { Search = "ÜBER" });

        Assert.Equal((1, 1), (result.Matched, result.Applied));
        await uber.RefreshAsync();
        await other.RefreshAsync();
        Assert.Equal(JobStatus.Cancelled, uber.Status);
        Assert.Equal(JobStatus.Queued, other.Status);
    }

    [Theory, AllProviders]
    public async Task ScheduleAsync_OptionsWithTheEscapingDefaultEncoder_StoresPayloadReadableAndFindable(string provider)
    {
        await using var jobs = await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider),
            b => b.AddJobType<Note>("p", (_, _) => Task.CompletedTask),
            o => o.SerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web),
            startPool: false);

        var job = await ScheduleAsync(jobs, "O'Brien & Über <b>");

        Assert.Equal("""{"text":"O'Brien & Über <b>"}""", job.Payload);
        Assert.Equal([job.Id], await FindAsync(jobs, "über <b>"));
    }

    private static async Task<JobsHarness> CreateAsync(string provider)
        => await JobsHarness.CreateAsync(await TestDatabases.CreateAsync(provider), b => b
            .AddJobType<Note>("p", (_, _) => Task.CompletedTask)
            .AddJobType<Note>("Zählung", (_, _) => Task.CompletedTask), startPool: false);

    private static Task<Job> ScheduleAsync(JobsHarness jobs, string text) => jobs.Client.ScheduleAsync("p", new Note(text));

    private static async Task<List<long>> FindAsync(JobsHarness jobs, string term)
        => [.. (await jobs.Monitor.ListAsync(new JobQuery { Search = term, Sort = JobSort.Id, Take = 100 })).Items.Select(j => j.Id)];
}
