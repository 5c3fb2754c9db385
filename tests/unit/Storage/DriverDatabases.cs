using System.Collections.Concurrent;
using Jobs.Storage;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Storage;

/// <summary>The driver contract's databases: one per test class and provider, made on first use and shared by the class's
/// tests, each test keeping to job types, queues, pools and leases of its own. Each database is served by two drivers, as
/// two processes would be, for the tests of races.</summary>
public sealed class DriverDatabases : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Drivers>>> _byProvider = new();

    internal Task<Drivers> ForAsync(string provider)
        => _byProvider.GetOrAdd(provider, p => new Lazy<Task<Drivers>>(() => CreateAsync(p))).Value;

    private static async Task<Drivers> CreateAsync(string provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var first = Build(database);
        var second = Build(database);
        return new Drivers(first, second);
    }

    private static ServiceProvider Build(Action<JobsOptions> database)
    {
        var services = new ServiceCollection();
        services.AddMetrics(); // The transaction counter listens to this provider's meters only.
        services.AddJobs(database);
        return services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var drivers in _byProvider.Values.Where(l => l.IsValueCreated))
        {
            var made = await drivers.Value;
            await made.FirstServices.DisposeAsync();
            await made.SecondServices.DisposeAsync();
        }
    }

    internal sealed class Drivers(ServiceProvider first, ServiceProvider second)
    {
        public ServiceProvider FirstServices { get; } = first;
        public ServiceProvider SecondServices { get; } = second;
        public IJobDriver First { get; } = first.GetRequiredService<IJobDriver>();
        public IJobDriver Second { get; } = second.GetRequiredService<IJobDriver>();
    }
}
