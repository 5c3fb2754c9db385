using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobs.Tests;

/// <summary>Binding <see cref="JobsOptions"/> from configuration: an unknown enum value names the key and the valid values;
/// <c>AddJobs(section)</c> binds the section it is given.</summary>
public sealed class ConfigurationBindingTests
{
    [Fact]
    public void AddJobs_UnknownProvider_ErrorNamesTheKeyAndTheValidProviders()
    {
        using var services = Build(new() { ["Jobs:Database:Provider"] = "Postgres" }, (s, c) => s.AddJobs());

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<JobsOptions>>().Value);

        Assert.Contains("Jobs:Database:Provider must be one of Sqlite, PostgreSql, SqlServer (was 'Postgres').", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddJobs_ProviderInAnotherCase_Accepted()
    {
        using var services = Build(new() { ["Jobs:Database:Provider"] = "postgresql" }, (s, c) => s.AddJobs());

        Assert.Equal(DatabaseProvider.PostgreSql, services.GetRequiredService<IOptions<JobsOptions>>().Value.Database.Provider);
    }

    [Fact]
    public void AddJobs_Section_BindsThatSectionNotJobs()
    {
        using var services = Build(
            new() { ["Jobs:Pool:NumWorkers"] = "3", ["Workers:Jobs:Pool:NumWorkers"] = "7", ["Workers:Jobs:Pool:BatchSize"] = "50" },
            (s, c) => s.AddJobs(c.GetSection("Workers:Jobs"), o => o.Pool.BatchSize = 20));

        var options = services.GetRequiredService<IOptions<JobsOptions>>().Value;

        Assert.Equal(7, options.Pool.NumWorkers);
        Assert.Equal(20, options.Pool.BatchSize); // The code runs after the binding.
    }

    [Fact]
    public void AddJobs_SectionWithUnknownProvider_ErrorNamesItsPath()
    {
        using var services = Build(new() { ["Workers:Jobs:Database:Provider"] = "Oracle" }, (s, c) => s.AddJobs(c.GetSection("Workers:Jobs")));

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<JobsOptions>>().Value);

        Assert.Contains("Workers:Jobs:Database:Provider must be one of Sqlite, PostgreSql, SqlServer (was 'Oracle').", ex.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> values, Action<IServiceCollection, IConfiguration> add)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        add(services, configuration);
        return services.BuildServiceProvider();
    }
}
