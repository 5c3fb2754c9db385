using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.E2E.Dashboard.Infrastructure;

/// <summary>Payload of <c>e2e.unreadable</c>: stored as JSON, refused when read back, as a payload whose type changed since.</summary>
[JsonConverter(typeof(UnreadableArgsConverter))]
internal sealed record UnreadableArgs(string Text);

internal sealed class UnreadableArgsConverter : JsonConverter<UnreadableArgs>
{
    public override UnreadableArgs Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => throw new JsonException("test: this payload cannot be read");

    public override void Write(Utf8JsonWriter writer, UnreadableArgs value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("text", value.Text);
        writer.WriteEndObject();
    }
}
