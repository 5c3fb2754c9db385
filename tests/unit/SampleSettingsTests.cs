using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobs.Tests;

/// <summary>appsettings.sample.json documents every option with its default: it must bind, validate, and equal the defaults.</summary>
public sealed class SampleSettingsTests
{
    [Fact]
    public void SampleSettings_Bound_EqualDefaultsAndValidate()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Jobs.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Jobs.sln not found");
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "appsettings.sample.json")).Build());
        services.AddJobs();
        using var provider = services.BuildServiceProvider();

        var bound = provider.GetRequiredService<IOptions<JobsOptions>>().Value;
        var defaults = new JobsOptions();

        Assert.Equal(defaults.DefaultQueue, bound.DefaultQueue);
        Assert.Equal(defaults.ProgressWriteInterval, bound.ProgressWriteInterval);
        Assert.Equivalent(defaults.Database, bound.Database);
        Assert.Equivalent(defaults.Pool, bound.Pool);
    }
}
