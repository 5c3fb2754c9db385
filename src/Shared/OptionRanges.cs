using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;

namespace Jobs;

/// <summary>Checks options against the <see cref="RangeAttribute"/> on their properties, so each option's range is written
/// once, on the option itself, and every message has one shape: key, range, value. Compiled into each package that has
/// options (linked source, not a public type).</summary>
internal static class OptionRanges
{
    /// <summary>Adds a message for each ranged property of <paramref name="options"/> outside its range, named
    /// <c>{prefix}:{Property}</c>.</summary>
    public static void Check<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(T options, string prefix, List<string> errors)
        where T : class
    {
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (Problem(property, property.GetValue(options), $"{prefix}:{property.Name}") is { } problem)
            {
                errors.Add(problem);
            }
        }
    }

    /// <summary>The message when <paramref name="value"/> is outside the range declared on <typeparamref name="T"/>'s
    /// <paramref name="propertyName"/>, naming it <paramref name="key"/>; null when it is inside, null, or nothing is declared.</summary>
    public static string? Problem<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(string propertyName, object? value, string key)
        => Problem(typeof(T).GetProperty(propertyName) ?? throw new ArgumentException($"{typeof(T).Name} has no property {propertyName}.", nameof(propertyName)), value, key);

    private static string? Problem(PropertyInfo property, object? value, string key)
    {
        if (value is null || property.GetCustomAttribute<RangeAttribute>() is not { } range)
        {
            return null;
        }

        var (min, max, inside) = value is TimeSpan time
            ? (Text(range.Minimum), Text(range.Maximum),
                time >= TimeSpan.Parse(Text(range.Minimum), CultureInfo.InvariantCulture) && time <= TimeSpan.Parse(Text(range.Maximum), CultureInfo.InvariantCulture))
            : (Text(range.Minimum), Text(range.Maximum), Number(value) >= Number(range.Minimum) && Number(value) <= Number(range.Maximum));
        return inside ? null : $"{key} must be between {min} and {max} (was {Convert.ToString(value, CultureInfo.InvariantCulture)}).";
    }

    private static string Text(object bound) => Convert.ToString(bound, CultureInfo.InvariantCulture) ?? "";

    private static decimal Number(object value) => Convert.ToDecimal(value, CultureInfo.InvariantCulture);
}
