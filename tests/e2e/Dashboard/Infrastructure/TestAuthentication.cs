using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.E2E.Dashboard.Infrastructure;

/// <summary>A test sign-in: the header (for HTTP and SignalR clients) or cookie (for the browser) <c>x-test-user</c> holds
/// <c>name:team</c>. The policy <see cref="Policy"/> requires the team <c>ops</c>.</summary>
internal sealed class TestAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string Policy = "ops-team";
    public const string Name = "x-test-user";

    public static void AddTo(IServiceCollection services)
    {
        services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthentication>(SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.RequireAuthenticatedUser().RequireClaim("team", "ops"));
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var value = Request.Headers[Name].FirstOrDefault() ?? Request.Cookies[Name];
        if (string.IsNullOrEmpty(value))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var parts = value.Split(':');
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, parts[0]), new Claim("team", parts.ElementAtOrDefault(1) ?? "")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
