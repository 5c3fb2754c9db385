using Jobs.Storage;

namespace Jobs.Tests.Faults;

public sealed class JobErrorFromExceptionTests
{
    [Fact]
    public void FromException_MessageGetterThrows_NotesItAndKeepsTypeAndStack()
    {
        var error = JobError.FromException(HostileExceptions.Thrown(new HostileExceptions.MessageThrows()));

        Assert.Equal(typeof(HostileExceptions.MessageThrows).FullName, error.Type);
        Assert.Equal("<Message threw InvalidOperationException>", error.Message);
        Assert.StartsWith($"{typeof(HostileExceptions.MessageThrows).FullName}: <Message threw InvalidOperationException>", error.StackTrace, StringComparison.Ordinal);
        Assert.Contains(nameof(HostileExceptions.Thrown), error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void FromException_StackTraceGetterThrows_NotesItAndKeepsMessage()
    {
        var error = JobError.FromException(HostileExceptions.Thrown(new HostileExceptions.StackTraceThrows()));

        Assert.Equal("the stack trace getter throws", error.Message);
        Assert.Contains("the stack trace getter throws", error.StackTrace, StringComparison.Ordinal);
        Assert.Contains("<StackTrace threw NotSupportedException>", error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void FromException_ToStringThrows_BuildsTheTextFromItsParts()
    {
        var error = JobError.FromException(HostileExceptions.Thrown(new HostileExceptions.ToStringThrows()));

        Assert.Equal("the ToString override throws", error.Message);
        Assert.StartsWith($"{typeof(HostileExceptions.ToStringThrows).FullName}: the ToString override throws", error.StackTrace, StringComparison.Ordinal);
        Assert.Contains(nameof(HostileExceptions.Thrown), error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void FromException_DataGetterThrows_DescribedAsItsOwnToStringSays()
    {
        var exception = HostileExceptions.Thrown(new HostileExceptions.DataThrows());

        var error = JobError.FromException(exception);

        Assert.Equal("the Data getter throws", error.Message);
        Assert.Equal(exception.ToString(), error.StackTrace);
    }

    [Fact]
    public void FromException_MessageGetterReturnsNull_EmptyMessage()
    {
        var error = JobError.FromException(new HostileExceptions.NullMessage());

        Assert.Equal("", error.Message);
        Assert.StartsWith(typeof(HostileExceptions.NullMessage).FullName!, error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void FromException_CyclicInnerChain_NotesTheCycleAndReturns()
    {
        var error = JobError.FromException(HostileExceptions.Cycle());

        Assert.Equal("outer", error.Message);
        Assert.Contains("inner, whose inner is the outer", error.StackTrace, StringComparison.Ordinal);
        Assert.Contains("shown above: the chain of inner exceptions is a cycle", error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void FromException_SameChildTwiceInAggregate_WrittenOnceAndNotCalledACycle()
    {
        var child = HostileExceptions.Thrown(new TimeoutException("shared child"));

        var error = JobError.FromException(new AggregateException(child, child, new HostileExceptions.MessageThrows()));

        Assert.Single(System.Text.RegularExpressions.Regex.Matches(error.StackTrace, "shared child"));
        Assert.Contains("(Inner Exception #1) <System.TimeoutException, the same exception as shown above>", error.StackTrace, StringComparison.Ordinal);
        Assert.DoesNotContain("cycle", error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void FromException_TenThousandLevelsDeep_WritesBoundedDepthAndNotesTheRest()
    {
        var error = JobError.FromException(HostileExceptions.Deep(10_000));

        Assert.Equal("level 9999", error.Message);
        Assert.Contains($"level {9999 - 16}", error.StackTrace, StringComparison.Ordinal);
        Assert.DoesNotContain($"level {9999 - 17}", error.StackTrace, StringComparison.Ordinal);
        Assert.Contains("not shown: more than 16 levels", error.StackTrace, StringComparison.Ordinal);
        Assert.DoesNotContain("level 0", error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void FromException_AggregateWithHostileChild_DescribesEveryChild()
    {
        var error = JobError.FromException(HostileExceptions.Thrown(HostileExceptions.AggregateWithHostileChild()));

        Assert.Equal(typeof(AggregateException).FullName, error.Type);
        Assert.Equal("<Message threw InvalidOperationException>", error.Message);
        Assert.Contains("---> (Inner Exception #0) System.TimeoutException: first child", error.StackTrace, StringComparison.Ordinal);
        Assert.Contains(
            $"---> (Inner Exception #1) {typeof(HostileExceptions.MessageThrows).FullName}: <Message threw InvalidOperationException>", error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void FromException_NulAndUnpairedSurrogates_ReplacedByReplacementCharacter()
    {
        var error = JobError.FromException(new InvalidOperationException("a\0b\uD800c\uDC00d \U0001F600"));

        Assert.Equal("a\uFFFDb\uFFFDc\uFFFDd \U0001F600", error.Message);
        Assert.Contains("a\uFFFDb\uFFFDc\uFFFDd \U0001F600", error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void FromException_FiveMegabyteMessage_CappedWithMarkerAndStackKeepsItsFrames()
    {
        var huge = new string('x', 5 * 1024 * 1024);

        var error = JobError.FromException(HostileExceptions.Thrown(new InvalidOperationException(huge)));

        TextAssert.CutWithMarker(huge, error.Message, StoredText.ErrorMessageMax);
        Assert.True(error.StackTrace.Length <= StoredText.ErrorTextMax, $"text of {error.StackTrace.Length} chars");
        Assert.Contains(nameof(HostileExceptions.Thrown), error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void FromException_TypeNameOver500Chars_CutToTheColumnWithMarker()
    {
        var exception = DeepGeneric.Create("generic");
        var fullName = exception.GetType().FullName!;
        Assert.True(fullName.Length > 500, $"type name of {fullName.Length} chars");

        var error = JobError.FromException(exception);

        TextAssert.CutWithMarker(fullName, error.Type, StoredText.ErrorTypeMax);
        Assert.Equal("generic", error.Message);
    }
}
