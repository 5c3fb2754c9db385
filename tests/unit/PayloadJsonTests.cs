using System.Text.Json;
using Jobs.Storage;

namespace Jobs.Tests;

/// <summary>The stored form of payloads: the same JSON value, with every character the encoder need not escape as itself.</summary>
public sealed class PayloadJsonTests
{
    [Fact]
    public void Readable_EscapedJson_SameValueWithCharactersAsThemselves()
    {
        const string escaped = """{"z":1.50,"name":"O\u0027Brien \u00DCber \u003Cb\u003E \u0026 \u002B","list":[1e3,null,true],"kept":"\uD83D\uDE00 \u0022q\u0022 \\ \n","z":2}""";

        var readable = PayloadJson.Readable(escaped);

        // Same properties in the same order (the duplicate too), numbers as written; quote, backslash, control and non-BMP
        // characters stay escaped, as JSON and the encoder require.
        Assert.Equal("""{"z":1.50,"name":"O'Brien Über <b> & +","list":[1e3,null,true],"kept":"\uD83D\uDE00 \"q\" \\ \n","z":2}""", readable);
        using var before = JsonDocument.Parse(escaped);
        using var after = JsonDocument.Parse(readable);
        Assert.True(JsonElement.DeepEquals(before.RootElement, after.RootElement));
    }

    [Theory]
    [InlineData("""{"name":"O'Brien Über"}""")]
    [InlineData("""{"kept":"\uD83D\uDE00"}""")]
    [InlineData("""not JSON \u00DC""")]
    [InlineData("42")]
    public void Readable_AlreadyReadableOrNotJson_ReturnsTheSameString(string json)
        => Assert.Same(json, PayloadJson.Readable(json));

    [Theory]
    [InlineData("O'Brien")]
    [InlineData("say \"hi\"")]
    [InlineData(@"c\d")]
    [InlineData("Über ärger <b>&+`")]
    [InlineData("tab\there\nline\u0001")]
    [InlineData("nbsp\u00A0 \u2028 \uFEFF 😀")]
    public void InString_AnyText_ReadsAsTheSerializerWritesItIntoAStoredPayload(string text)
    {
        var stored = PayloadJson.Readable(JsonSerializer.Serialize(new { text }));

        Assert.Equal("{\"text\":\"" + PayloadJson.InString(text) + "\"}", stored);
    }
}
