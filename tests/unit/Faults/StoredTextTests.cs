using Jobs.Storage;

namespace Jobs.Tests.Faults;

public sealed class StoredTextTests
{
    [Fact]
    public void Clean_StorableTextWithinLimit_ReturnsSameInstance()
    {
        var text = "plain text, tabs\tand new lines\n, and a pair \U0001F600";

        Assert.Same(text, StoredText.Clean(text, 100));
    }

    [Fact]
    public void Clean_NulAndUnpairedSurrogates_ReplacedOneForOne()
    {
        Assert.Equal("\uFFFDa\uFFFDb\uFFFD\U0001F600\uFFFD", StoredText.Clean("\0a\uDC00b\uD800\U0001F600\uD83D", 100));
    }

    [Fact]
    public void Clean_TextOverLimit_CutWithMarkerCountingWhatWasCut()
    {
        var text = new string('y', 4_812_331 + 1_000);

        var stored = StoredText.Clean(text, 1_000);

        TextAssert.CutWithMarker(text, stored, 1_000);
        Assert.EndsWith("… [truncated 4,812,360 chars]", stored, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_CutFallsInsideSurrogatePair_KeepsNoHalfPair()
    {
        var text = new string('z', 10) + string.Concat(Enumerable.Repeat("\U0001F600", 100));

        for (var max = 40; max < 60; max++)
        {
            var stored = StoredText.Clean(text, max);

            TextAssert.CutWithMarker(text, stored, max);
            Assert.Same(stored, StoredText.Clean(stored, max));
        }
    }

    [Fact]
    public void Clean_AlreadyCleanedText_Unchanged()
    {
        var once = StoredText.Clean("a\0b" + new string('q', 5_000), 2_000);

        Assert.Same(once, StoredText.Clean(once, 2_000));
    }

    [Theory]
    [InlineData("", "is empty or blank")]
    [InlineData("   ", "is empty or blank")]
    [InlineData("a\0b", "control character U+0000 at index 1")]
    [InlineData("tab\there", "control character U+0009 at index 3")]
    [InlineData("del\u007f", "control character U+007F at index 3")]
    public void NameProblem_BadName_SaysWhatIsWrong(string name, string expected)
    {
        Assert.Contains(expected, StoredText.NameProblem(name), StringComparison.Ordinal);
    }

    [Fact]
    public void NameProblem_UnpairedSurrogates_SaysWhichAndWhere()
    {
        // Not as InlineData: test-case names are serialized as UTF-8, which has no unpaired surrogates either.
        Assert.Equal("contains an unpaired surrogate U+D800 at index 1, which has no UTF-8 encoding", StoredText.NameProblem("x\uD800"));
        Assert.Equal("contains an unpaired surrogate U+DC00 at index 0, which has no UTF-8 encoding", StoredText.NameProblem("\uDC00x"));
        Assert.Equal("contains an unpaired surrogate U+D83D at index 1, which has no UTF-8 encoding", StoredText.NameProblem("a\uD83Db\U0001F600"));
    }

    [Fact]
    public void Clean_TextCutBefore_MarkerCountsBothCuts()
    {
        var text = new string('w', 100_000);
        var history = StoredText.Clean(text, 16_384);

        var brief = StoredText.Clean(history, 2_000);

        TextAssert.CutWithMarker(text, brief, 2_000);
    }

    [Fact]
    public void Clean_TextEndingInMarkerLookalike_CutWithoutThrowing()
    {
        var text = new string('v', 50) + "… [truncated chars]";

        Assert.True(StoredText.Clean(text, 40).Length <= 40);
    }

    [Fact]
    public void NameProblem_LongerThanColumn_SaysLengthAndLimit()
    {
        Assert.Equal("is 201 characters long; the database column holds at most 200", StoredText.NameProblem(new string('n', 201)));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("emails-eu \U0001F600")]
    [InlineData("ünïcødé/queue.name:1")]
    public void NameProblem_PrintableName_Null(string name)
    {
        Assert.Null(StoredText.NameProblem(name));
        Assert.Null(StoredText.NameProblem(new string('n', 200)));
    }

    [Fact]
    public void Quote_ControlCharactersAndLongNames_EscapedAndShortened()
    {
        Assert.Equal("'a\\u0000b'", StoredText.Quote("a\0b"));
        Assert.Equal("'" + new string('n', 60) + "…'", StoredText.Quote(new string('n', 500)));
    }
}
