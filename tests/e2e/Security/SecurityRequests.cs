using Jobs.E2E.Dashboard.Infrastructure;

namespace Jobs.E2E.Security;

/// <summary>Raw requests as a foreign page (or a DNS-rebound one) makes them: its own Origin and Host, nothing a client library adds.</summary>
internal static class SecurityRequests
{
    public const string Evil = "http://evil.example";

    /// <summary>Scheme, host and port of the server, as its own pages send them in <c>Origin</c>.</summary>
    public static string OwnOrigin(DashboardServer server) => server.Origin.GetLeftPart(UriPartial.Authority);

    public static Uri HubUrl(DashboardServer server) => new(server.Origin, $"{server.PathBase}/jobs/hub");

    public static Uri CircuitUrl(DashboardServer server) => new(server.Origin, $"{server.PathBase}/jobs/_blazor");

    /// <summary>A queued job that stays queued for an hour: any change to it was made by the test.</summary>
    public static Task<Job> ScheduleLaterAsync(DashboardServer server)
        => server.Client.ScheduleAsync(E2EJobs.Note, new NoteArgs("security"), new JobScheduleOptions { RunAt = DateTimeOffset.UtcNow.AddHours(1) });

    /// <summary>GET, or POST for a negotiate path, relative to the server's path base, with these headers (<c>Host</c> included).</summary>
    public static async Task<HttpResponseMessage> SendAsync(DashboardServer server, string path, params (string Name, string Value)[] headers)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.Origin, server.PathBase + "/") };
        using var request = new HttpRequestMessage(path.Contains("negotiate", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            if (name == "Host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.Add(name, value);
            }
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
