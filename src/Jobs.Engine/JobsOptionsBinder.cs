using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Jobs;

/// <summary>Binds a configuration section to <see cref="JobsOptions"/>. The configuration binder's own error for an enum value
/// it cannot convert names the type, not the choices; this one names the key and every valid value, and accepts what the
/// binder accepts (names in any case, defined numbers).</summary>
internal static class JobsOptionsBinder
{
    public static void Bind(IConfigurationSection section, JobsOptions options)
    {
        var errors = new List<string>();
        CheckEnum<DatabaseProvider>(section, "Database:Provider", errors);
        CheckEnum<SqliteSynchronousMode>(section, "Database:SqliteSynchronous", errors);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(JobsOptions), errors);
        }

        section.Bind(options);
    }

    private static void CheckEnum<T>(IConfigurationSection section, string key, List<string> errors)
        where T : struct, Enum
    {
        var value = section[key];
        if (value is null || (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && !value.Contains(',', StringComparison.Ordinal) && Enum.IsDefined(parsed)))
        {
            return;
        }

        errors.Add($"{section.Path}:{key} must be one of {string.Join(", ", Enum.GetNames<T>())} (was '{value}').");
    }
}
