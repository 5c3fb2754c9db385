using Jobs.Storage;
using Microsoft.Extensions.Options;

namespace Jobs.Registration;

/// <summary>The job types of this process, by name. Built once; a duplicate name or a bad option stops start-up.</summary>
internal sealed class JobTypeRegistry
{
    private readonly Dictionary<string, JobTypeDefinition> _types = new(StringComparer.Ordinal);

    public JobTypeRegistry(IEnumerable<JobTypeDefinition> definitions, IOptions<JobsOptions> options)
    {
        var defaultQueue = options.Value.DefaultQueue;
        foreach (var definition in definitions)
        {
            if (!_types.TryAdd(definition.Name, definition))
            {
                throw new InvalidOperationException(
                    $"Job type '{definition.Name}' is registered more than once; each job type name must be registered exactly once.");
            }

            Validate(definition);
            definition.Options.Queue ??= defaultQueue;
        }

        Names = [.. _types.Keys];
    }

    public IReadOnlyCollection<string> Names { get; }

    public IEnumerable<JobTypeDefinition> All => _types.Values;

    public bool TryGet(string name, out JobTypeDefinition definition) => _types.TryGetValue(name, out definition!);

    /// <summary>The registered type; an unknown name is the caller's argument error, reported under <paramref name="paramName"/>.</summary>
    public JobTypeDefinition Get(string name, string paramName)
        => _types.TryGetValue(name, out var definition)
            ? definition
            : throw new ArgumentException(
                $"Job type {StoredText.Quote(name)} is not registered. Registered types: {(_types.Count == 0 ? "(none)" : string.Join(", ", _types.Keys.Order(StringComparer.Ordinal)))}.",
                paramName);

    private static void Validate(JobTypeDefinition d)
    {
        var o = d.Options;
        var rangeProblem = OptionRanges.Problem<JobTypeOptions>(nameof(o.MaxRetries), o.MaxRetries, nameof(o.MaxRetries))
            ?? OptionRanges.Problem<JobTypeOptions>(nameof(o.Timeout), o.Timeout, nameof(o.Timeout));
        if (rangeProblem is not null)
        {
            throw new InvalidOperationException($"Job type '{d.Name}': {rangeProblem}");
        }

        // Checked when the type is added already; kept for definitions registered without AddJobType.
        if (o.Queue is not null && StoredText.NameProblem(o.Queue) is { } problem)
        {
            throw new InvalidOperationException($"Job type '{d.Name}': the queue {StoredText.Quote(o.Queue)} {problem}.");
        }

        var b = o.Backoff;
        if (b.BaseDelay < TimeSpan.Zero || b.MaxDelay < b.BaseDelay || b.Factor < 1 || b.Jitter is < 0 or > 1)
        {
            throw new InvalidOperationException(
                $"Job type '{d.Name}': Backoff needs BaseDelay >= 0, MaxDelay >= BaseDelay, Factor >= 1 and Jitter between 0 and 1 " +
                $"(was BaseDelay {b.BaseDelay}, MaxDelay {b.MaxDelay}, Factor {b.Factor}, Jitter {b.Jitter}).");
        }
    }
}
