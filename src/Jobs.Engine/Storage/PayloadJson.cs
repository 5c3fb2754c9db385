using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Jobs.Storage;

/// <summary>The form payloads are stored in: JSON with the escapes JSON requires (quote, backslash, control characters) and the
/// few the encoder keeps for invisible characters and characters outside the Basic Multilingual Plane, and nothing else.
/// Letters of every script, apostrophes, <c>&lt;</c>, <c>&amp;</c> and <c>+</c> are stored as themselves, so a text search over
/// the column sees the payload as the dashboard shows it.</summary>
internal static class PayloadJson
{
    // The relaxed encoder leaves HTML-sensitive characters unescaped. That is safe for this column: it is read back by the JSON
    // deserializer and by the dashboard, which renders it as text (Blazor HTML-encodes it). Code that writes a payload into
    // HTML or a script block has to encode it, as it has to for any text that came from users.
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    // The writer's own depth limit (1,000): a payload this code reads is one it can write back.
    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 1000 };

    private static readonly JsonWriterOptions WriteOptions = new() { Encoder = Encoder, MaxDepth = 1000 };

    /// <summary>True when <paramref name="json"/> may hold a <c>\uXXXX</c> escape the stored form would not use.</summary>
    public static bool MayHaveEscapes(string json) => json.Contains("\\u", StringComparison.Ordinal);

    /// <summary><paramref name="json"/> in the stored form: the same JSON value (same properties in the same order, numbers as
    /// written), with every escape the stored form does not need written as the character itself. Returned as given when it
    /// is already in that form or is not JSON.</summary>
    public static string Readable(string json)
    {
        if (!MayHaveEscapes(json))
        {
            return json;
        }

        try
        {
            using var document = JsonDocument.Parse(json, ReadOptions);
            var buffer = new ArrayBufferWriter<byte>(json.Length + 16);
            using (var writer = new Utf8JsonWriter(buffer, WriteOptions))
            {
                document.WriteTo(writer);
            }

            var readable = Encoding.UTF8.GetString(buffer.WrittenSpan);
            return readable == json ? json : readable;
        }
        catch (JsonException)
        {
            return json;
        }
    }

    /// <summary>How <paramref name="text"/> reads inside a JSON string of the stored form: <c>"</c> as <c>\"</c>, <c>\</c> as
    /// <c>\\</c>, and so on.</summary>
    public static string InString(string text) => Encoder.Encode(text);
}
