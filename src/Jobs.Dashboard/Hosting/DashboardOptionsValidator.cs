using Microsoft.Extensions.Options;

namespace Jobs.Dashboard.Hosting;

/// <summary>Checks the dashboard options at start-up; each failure names the option, its allowed range and the value given.</summary>
internal sealed class DashboardOptionsValidator : IValidateOptions<JobsDashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsDashboardOptions options)
    {
        var errors = new List<string>();
        if (options.PollInterval < TimeSpan.FromMilliseconds(50) || options.PollInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Jobs:Dashboard:PollInterval must be between 00:00:00.05 and 00:01:00 (was {options.PollInterval}).");
        }

        if (options.ThroughputWindow < TimeSpan.FromMinutes(1) || options.ThroughputWindow > TimeSpan.FromHours(1))
        {
            errors.Add($"Jobs:Dashboard:ThroughputWindow must be between 00:01:00 and 01:00:00 (was {options.ThroughputWindow}).");
        }

        if (options.CountLimit is < 1_000 or > 100_000_000)
        {
            errors.Add($"Jobs:Dashboard:CountLimit must be between 1000 and 100000000 (was {options.CountLimit}).");
        }

        if (options.PageSize is < 5 or > 500)
        {
            errors.Add($"Jobs:Dashboard:PageSize must be between 5 and 500 (was {options.PageSize}).");
        }

        if (string.IsNullOrWhiteSpace(options.Title))
        {
            errors.Add("Jobs:Dashboard:Title must not be empty.");
        }

        if (options.AuthorizationPolicy is { } policy && string.IsNullOrWhiteSpace(policy))
        {
            errors.Add("Jobs:Dashboard:AuthorizationPolicy must name a policy, or be left out.");
        }

        if (options.AppPath is { Length: > 0 } app && !app.StartsWith('/'))
        {
            errors.Add($"Jobs:Dashboard:AppPath must start with '/' (was '{app}').");
        }

        foreach (var origin in options.AllowedOrigins.Where(o => !DashboardOrigins.TryNormalize(o, out _)))
        {
            errors.Add("Jobs:Dashboard:AllowedOrigins must hold absolute http or https origins without a path, such as " +
                $"\"https://ops.example.com\" or \"http://localhost:5173\" (was '{origin}').");
        }

        foreach (var host in options.AllowedHosts.Where(h => !DashboardHosts.IsValidEntry(h)))
        {
            errors.Add("Jobs:Dashboard:AllowedHosts must hold host names without scheme, port or path, such as \"jobs.internal\" or " +
                $"\"*.example.com\" (was '{host}').");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
