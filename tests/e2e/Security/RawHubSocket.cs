using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Jobs.E2E.Dashboard.Infrastructure;

namespace Jobs.E2E.Security;

/// <summary>What a page on another site can do: open a WebSocket to the dashboard with its own <c>Origin</c> (and, after a DNS
/// rebinding, its own <c>Host</c>), then speak SignalR's JSON protocol by hand. Not the SignalR client, which sends no Origin.</summary>
internal sealed class RawHubSocket : IDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly ClientWebSocket _socket;
    private readonly Queue<string> _received = new();
    private readonly StringBuilder _partial = new();

    private RawHubSocket(ClientWebSocket socket) => _socket = socket;

    /// <summary>Opens a WebSocket with these headers: the status code of the upgrade response, and the socket when it was accepted.</summary>
    /// <summary>What a foreign page does: opens the hub with its headers and, if it gets in, deletes the job. Returns the
    /// upgrade's status.</summary>
    public static async Task<HttpStatusCode> TryDeleteAsync(Uri url, string? origin, long jobId, string? host = null)
    {
        var (status, socket) = await ConnectAsync(url, origin, host);
        if (socket is not null)
        {
            using (socket)
            {
                await socket.HandshakeAsync();
                (await socket.InvokeAsync("Delete", jobId, null)).Dispose();
            }
        }

        return status;
    }

    public static async Task<(HttpStatusCode Status, RawHubSocket? Socket)> ConnectAsync(
        Uri url, string? origin, string? host = null, params (string Name, string Value)[] headers)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        if (host is not null)
        {
            socket.Options.SetRequestHeader("Host", host);
        }

        foreach (var (name, value) in headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        using var timeout = new CancellationTokenSource(DashboardFixture.Patience);
        try
        {
            await socket.ConnectAsync(new UriBuilder(url) { Scheme = url.Scheme == "https" ? "wss" : "ws" }.Uri, timeout.Token);
            return (socket.HttpStatusCode, new RawHubSocket(socket));
        }
        catch (WebSocketException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            return (status, null);
        }
    }

    public WebSocketState State => _socket.State;

    /// <summary>SignalR's JSON handshake; true when the hub accepted it.</summary>
    public async Task<bool> HandshakeAsync()
    {
        await SendAsync("""{"protocol":"json","version":1}""");
        using var reply = await ReceiveAsync();
        return !reply.RootElement.TryGetProperty("error", out _);
    }

    /// <summary>Invokes a hub method and returns its completion message (with <c>result</c> or <c>error</c>).</summary>
    public async Task<JsonDocument> InvokeAsync(string target, params object?[] arguments)
    {
        var id = Guid.NewGuid().ToString("N");
        await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }));
        while (true)
        {
            var message = await ReceiveAsync();
            var root = message.RootElement;
            if (root.GetProperty("type").GetInt32() == 3 && root.GetProperty("invocationId").GetString() == id)
            {
                return message;
            }

            message.Dispose(); // A ping, or anything else the hub sends meanwhile.
        }
    }

    public void Dispose() => _socket.Dispose();

    private Task SendAsync(string json)
        => _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

    private async Task<JsonDocument> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(DashboardFixture.Patience);
        var buffer = new byte[16 * 1024];
        while (_received.Count == 0)
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"The hub closed the socket: {result.CloseStatus} {result.CloseStatusDescription}.");
            }

            // A frame may hold several records, or part of one.
            _partial.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            var text = _partial.ToString();
            var records = text.Split(RecordSeparator);
            foreach (var record in records[..^1])
            {
                _received.Enqueue(record);
            }

            _partial.Clear().Append(records[^1]);
        }

        return JsonDocument.Parse(_received.Dequeue());
    }
}
