using Jobs.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.Dashboard;

public sealed class DashboardOptionsValidatorTests
{
    private static OptionsValidationException Invalid(Action<JobsDashboardOptions> configure)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddJobs();
        services.AddJobsDashboard(configure);
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<JobsDashboardOptions>>().Value);
    }

    [Theory]
    [InlineData("https://ops.example.com/jobs")]
    [InlineData("ops.example.com")]
    [InlineData("*")]
    public void Validate_AllowedOriginNotAnOrigin_FailsNamingTheOptionAndTheFix(string origin)
    {
        var ex = Invalid(o => o.AllowedOrigins.Add(origin));

        Assert.Contains("Jobs:Dashboard:AllowedOrigins must hold absolute http or https origins without a path", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"https://ops.example.com\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"(was '{origin}')", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jobs.internal:5000")]
    [InlineData("http://jobs.internal")]
    public void Validate_AllowedHostNotAHostName_FailsNamingTheOptionAndTheFix(string host)
    {
        var ex = Invalid(o => o.AllowedHosts.Add(host));

        Assert.Contains("Jobs:Dashboard:AllowedHosts must hold host names without scheme, port or path", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"(was '{host}')", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WellFormedOriginsAndHosts_Pass()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddJobs();
        services.AddJobsDashboard(o =>
        {
            o.AllowedOrigins.Add("https://ops.example.com");
            o.AllowedOrigins.Add("http://localhost:5173/");
            o.AllowedHosts.Add("jobs.internal");
            o.AllowedHosts.Add("*.example.com");
        });
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<JobsDashboardOptions>>().Value;

        Assert.Equal(2, options.AllowedOrigins.Count);
        Assert.Equal(2, options.AllowedHosts.Count);
    }
}
