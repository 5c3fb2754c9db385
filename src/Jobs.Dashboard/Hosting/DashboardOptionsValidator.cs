using Microsoft.Extensions.Options;

namespace Jobs.Dashboard.Hosting;

/// <summary>Checks the dashboard options at start-up; each failure names the option, its allowed range (the <c>[Range]</c>
/// attributes on <see cref="JobsDashboardOptions"/>) and the value given.</summary>
internal sealed class DashboardOptionsValidator : IValidateOptions<JobsDashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsDashboardOptions options)
    {
        var errors = new List<string>();
        OptionRanges.Check(options, "Jobs:Dashboard", errors);

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
