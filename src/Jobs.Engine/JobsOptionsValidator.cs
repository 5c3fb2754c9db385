using Jobs.Storage;
using Microsoft.Extensions.Options;

namespace Jobs;

/// <summary>Checks every option at start-up; each failure names the option, its allowed range and the value given. The ranges
/// are the <c>[Range]</c> attributes on the options themselves (<see cref="OptionRanges"/>); only rules between options are here.</summary>
internal sealed class JobsOptionsValidator : IValidateOptions<JobsOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        var errors = new List<string>();
        var p = options.Pool;
        OptionRanges.Check(options, JobsOptions.SectionName, errors);
        OptionRanges.Check(p, $"{JobsOptions.SectionName}:Pool", errors);
        OptionRanges.Check(options.Database, $"{JobsOptions.SectionName}:Database", errors);
        if (p.StaleTimeout < p.HeartbeatInterval * 2 || p.StaleTimeout > TimeSpan.FromDays(1))
        {
            errors.Add($"Jobs:Pool:StaleTimeout must be at least twice Jobs:Pool:HeartbeatInterval ({p.HeartbeatInterval * 2}) and at most 1 day (was {p.StaleTimeout}).");
        }

        if (p.Queues.Select(q => (Queue: q, Problem: StoredText.NameProblem(q))).FirstOrDefault(q => q.Problem is not null) is { Problem: { } queueProblem } bad)
        {
            errors.Add($"Jobs:Pool:Queues must hold queue names of 1 to {StoredText.NameMax} printable characters; {StoredText.Quote(bad.Queue)} {queueProblem}.");
        }

        var d = options.Database;
        if (string.IsNullOrWhiteSpace(d.ConnectionString))
        {
            errors.Add("Jobs:Database:ConnectionString is required.");
        }

        if (!Enum.IsDefined(d.Provider))
        {
            errors.Add($"Jobs:Database:Provider must be one of {string.Join(", ", Enum.GetNames<DatabaseProvider>())} (was {d.Provider}).");
        }

        if (!Enum.IsDefined(d.SqliteSynchronous))
        {
            errors.Add($"Jobs:Database:SqliteSynchronous must be one of {string.Join(", ", Enum.GetNames<SqliteSynchronousMode>())} (was {d.SqliteSynchronous}).");
        }

        if (StoredText.NameProblem(options.DefaultQueue) is { } defaultProblem)
        {
            errors.Add($"Jobs:DefaultQueue must be 1 to {StoredText.NameMax} printable characters long; {StoredText.Quote(options.DefaultQueue)} {defaultProblem}.");
        }

        if (options.SerializerOptions is null)
        {
            errors.Add("Jobs:SerializerOptions must not be null.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
