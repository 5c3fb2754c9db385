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

    public JobTypeDefinition Get(string name)
        => _types.TryGetValue(name, out var definition)
            ? definition
            : throw new ArgumentException(
                $"Job type '{name}' is not registered. Registered types: {(_types.Count == 0 ? "(none)" : string.Join(", ", _types.Keys.Order(StringComparer.Ordinal)))}.",
                nameof(name));

    private static void Validate(JobTypeDefinition d)
    {
        var o = d.Options;
        if (o.MaxRetries is < 0 or > 1000)
        {
            throw new InvalidOperationException($"Job type '{d.Name}': MaxRetries must be between 0 and 1000 (was {o.MaxRetries}).");
        }

        if (o.Timeout is { } t && (t <= TimeSpan.Zero || t > TimeSpan.FromDays(1)))
        {
            throw new InvalidOperationException($"Job type '{d.Name}': Timeout must be between 1 tick and 1 day (was {t}).");
        }

        if (o.Queue is { Length: 0 or > 200 })
        {
            throw new InvalidOperationException($"Job type '{d.Name}': Queue must be 1 to 200 characters long.");
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
