namespace Jobs.Tests.Faults;

/// <summary>An exception whose type's full name runs past the 500-character error type column.</summary>
internal static class DeepGeneric
{
    public static Exception Create(string message)
    {
        var type = typeof(int);
        for (var i = 0; i < 12; i++)
        {
            type = typeof(Nest<>).MakeGenericType(type);
        }

        return (Exception)Activator.CreateInstance(typeof(GenericException<>).MakeGenericType(type), message)!;
    }

    internal readonly struct Nest<T>;

    internal sealed class GenericException<T>(string message) : Exception(message);
}
