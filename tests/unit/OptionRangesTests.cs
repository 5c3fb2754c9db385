using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Jobs.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobs.Tests;

/// <summary>Every option's range is declared once, as <c>[Range]</c> on the option, and the start-up check reads it from there.</summary>
public sealed class OptionRangesTests
{
    // Options with rules between options, or any value allowed: checked where the rule is, not by a range.
    private static readonly string[] Unranged =
    [
        "PoolOptions.StaleTimeout", "JobTypeOptions.Priority", "JobScheduleOptions.Priority",
        "RetryBackoff.BaseDelay", "RetryBackoff.MaxDelay", "RetryBackoff.Factor", "RetryBackoff.Jitter",
    ];

    [Fact]
    public void Options_EveryNumberAndDuration_DeclaresItsRange()
    {
        Type[] types = [typeof(JobsOptions), typeof(PoolOptions), typeof(DatabaseOptions), typeof(JobTypeOptions), typeof(JobScheduleOptions),
            typeof(RetryBackoff), typeof(JobsDashboardOptions)];
        var missing = types.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Where(p => (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) is var t && (t == typeof(int) || t == typeof(long) || t == typeof(double) || t == typeof(TimeSpan)))
            .Where(p => p.GetCustomAttribute<RangeAttribute>() is null && !Unranged.Contains($"{p.DeclaringType!.Name}.{p.Name}"))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}");

        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("NumWorkers", 1025, "Jobs:Pool:NumWorkers must be between 1 and 1024 (was 1025).")]
    [InlineData("BatchSize", 0, "Jobs:Pool:BatchSize must be between 1 and 10000 (was 0).")]
    [InlineData("MinWait", "02:00:00", "Jobs:Pool:MinWait must be between 00:00:00.0010000 and 01:00:00 (was 02:00:00).")]
    [InlineData("HeartbeatInterval", "00:00:00.0500000", "Jobs:Pool:HeartbeatInterval must be between 00:00:00.1000000 and 00:10:00 (was 00:00:00.0500000).")]
    [InlineData("ShutdownTimeout", "-00:00:01", "Jobs:Pool:ShutdownTimeout must be between 00:00:00 and 01:00:00 (was -00:00:01).")]
    public void Validate_PoolOptionOutOfRange_NamesKeyRangeAndValue(string property, object value, string message)
    {
        var options = new JobsOptions();
        var target = typeof(PoolOptions).GetProperty(property)!;
        target.SetValue(options.Pool, target.PropertyType == typeof(TimeSpan) ? TimeSpan.Parse((string)value, System.Globalization.CultureInfo.InvariantCulture) : value);
        options.Pool.StaleTimeout = TimeSpan.FromHours(1);

        var failures = Validate(options);

        Assert.Equal([message], failures);
    }

    [Fact]
    public void Validate_DatabaseAndProgressOutOfRange_NamesTheirKeys()
    {
        var options = new JobsOptions { ProgressWriteInterval = TimeSpan.FromMinutes(2) };
        options.Database.CommandTimeoutSeconds = 601;

        var failures = Validate(options);

        Assert.Equal(
            ["Jobs:ProgressWriteInterval must be between 00:00:00 and 00:01:00 (was 00:02:00).",
             "Jobs:Database:CommandTimeoutSeconds must be between 1 and 600 (was 601)."],
            failures);
    }

    [Fact]
    public void AddJobType_MaxRetriesAndTimeoutOutOfRange_ThrowNamingTheTypeAndRange()
    {
        var retries = Assert.Throws<InvalidOperationException>(() => Registry(t => t.MaxRetries = 1001));
        var timeout = Assert.Throws<InvalidOperationException>(() => Registry(t => t.Timeout = TimeSpan.Zero));

        Assert.Equal("Job type 'x': MaxRetries must be between 0 and 1000 (was 1001).", retries.Message);
        Assert.Equal("Job type 'x': Timeout must be between 00:00:00.0000001 and 1.00:00:00 (was 00:00:00).", timeout.Message);
    }

    private static List<string> Validate(JobsOptions options)
    {
        var result = new JobsOptionsValidator().Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }

    private static object Registry(Action<JobTypeOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddJobs().AddJobType("x", _ => Task.CompletedTask, configure);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<Registration.JobTypeRegistry>();
    }
}
