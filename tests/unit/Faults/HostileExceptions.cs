using System.Collections;
using System.Reflection;

namespace Jobs.Tests.Faults;

/// <summary>Exceptions a handler may throw that fight being described: getters that throw, chains that never end.</summary>
internal static class HostileExceptions
{
    internal sealed class MessageThrows : Exception
    {
        public override string Message => throw new InvalidOperationException("no message for you");
    }

    internal sealed class StackTraceThrows() : Exception("the stack trace getter throws")
    {
        public override string StackTrace => throw new NotSupportedException();
    }

    internal sealed class ToStringThrows() : Exception("the ToString override throws")
    {
        public override string ToString() => throw new FormatException();
    }

    internal sealed class DataThrows() : Exception("the Data getter throws")
    {
        public override IDictionary Data => throw new InvalidOperationException();
    }

    internal sealed class NullMessage : Exception
    {
        public override string Message => null!;
    }

    /// <summary>InnerException is not virtual: a cycle can only be made by setting the field, as a serializer might.</summary>
    public static Exception Cycle()
    {
        var inner = new InvalidOperationException("inner, whose inner is the outer");
        var outer = new InvalidOperationException("outer", inner);
        typeof(Exception).GetField("_innerException", BindingFlags.Instance | BindingFlags.NonPublic)!.SetValue(inner, outer);
        return outer;
    }

    public static Exception Deep(int levels)
    {
        Exception e = new InvalidOperationException("level 0");
        for (var i = 1; i < levels; i++)
        {
            e = new InvalidOperationException($"level {i}", e);
        }

        return e;
    }

    /// <summary>An AggregateException's own Message reads every child's: one hostile child makes the parent's throw too.</summary>
    public static Exception AggregateWithHostileChild()
        => new AggregateException("several things failed", new TimeoutException("first child"), Thrown(new MessageThrows()));

    /// <summary>The exception with a stack trace, as a handler's would have.</summary>
    public static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }
}
