using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Jobs.E2E.Dashboard.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.E2E.Dashboard;

/// <summary>The top bar's "● Live" says so only while updates can arrive: not while the circuit is down, nor while the live feed
/// cannot read the database.</summary>
[Collection(DashboardTests.Name)]
public sealed class LiveIndicatorTests(DashboardFixture fixture)
{
    [Fact]
    public async Task CircuitConnectionLost_LiveIndicator_ShowsDisconnectedUntilItReconnects()
    {
        var server = fixture.Server;
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;

        // The circuit's socket goes through the test, which can close it; while "down", reconnection attempts are refused at
        // negotiation, so the disconnected state lasts until the test lets the circuit back.
        var sockets = new ConcurrentQueue<IWebSocketRoute>();
        var down = false;
        await page.RouteWebSocketAsync(new Regex("/_blazor\\?"), socket =>
        {
            socket.ConnectToServer();
            sockets.Enqueue(socket);
        });
        await page.RouteAsync(new Regex("/_blazor/negotiate"), route => Volatile.Read(ref down) ? route.AbortAsync() : route.ContinueAsync());
        await page.OpenAsync(server.Url(""));
        var live = page.TestId("live");
        var disconnected = page.TestId("disconnected");
        await Expect(live).ToHaveAttributeAsync("data-state", "live");
        await Expect(live).ToBeVisibleAsync();
        await Expect(disconnected).ToBeHiddenAsync();
        await Expect(page.TestId("reconnect")).ToBeHiddenAsync();

        Volatile.Write(ref down, true);
        Assert.True(sockets.TryPeek(out var circuit));
        await circuit.CloseAsync(new() { Code = 4000, Reason = "test: connection lost" });

        await Expect(disconnected).ToBeVisibleAsync();
        await Expect(live).ToBeHiddenAsync();
        await Expect(page.TestId("reconnect")).ToBeVisibleAsync();
        await Expect(page.TestId("reconnect")).ToContainTextAsync("reconnecting");
        var contrast = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "rule", Values = ["color-contrast"] } });
        Assert.Empty(contrast.Violations.SelectMany(v => v.Nodes).Select(n => string.Join(" ", n.Target)));

        Volatile.Write(ref down, false);
        await Expect(live).ToBeVisibleAsync();
        await Expect(disconnected).ToBeHiddenAsync();
        await Expect(page.TestId("reconnect")).ToBeHiddenAsync();
        Assert.True(sockets.Count >= 2, "the circuit came back on a new socket");
    }

    [Fact]
    public async Task FeedCannotReadTheDatabase_LiveIndicator_ShowsDatabaseUnreachableUntilItCanAgain()
    {
        var database = new DatabaseSwitch();
        await using var server = new DashboardServer(services: database.Install);
        var (context, page) = await fixture.NewPageAsync();
        await using var _ = context;
        await page.OpenAsync(server.Url(""));
        var live = page.TestId("live");
        await Expect(live).ToHaveAttributeAsync("data-state", "live");
        await Expect(live).ToHaveTextAsync("● Live");

        database.Reachable = false;
        await Expect(live).ToHaveAttributeAsync("data-state", "database-unreachable");
        await Expect(live).ToHaveTextAsync("● Database unreachable");
        await Expect(live).ToHaveAttributeAsync("title", new Regex(DatabaseSwitch.Refusal));

        database.Reachable = true;
        await Expect(live).ToHaveAttributeAsync("data-state", "live");
        await Expect(live).ToHaveTextAsync("● Live");
    }

    /// <summary>Stands in front of the server's <see cref="IJobMonitor"/> (every read of the dashboard and its live feed) and fails
    /// every call while the test says the database is unreachable.</summary>
    internal sealed class DatabaseSwitch
    {
        public const string Refusal = "test: the database is unreachable";

        private volatile bool _reachable = true;

        public bool Reachable
        {
            get => _reachable;
            set => _reachable = value;
        }

        /// <summary>What each call throws while unreachable; by default an exception with <see cref="Refusal"/> as its message.</summary>
        public Func<Exception> Failure { get; set; } = () => new InvalidOperationException(Refusal);

        public void Install(IServiceCollection services)
        {
            var original = services.Last(d => d.ServiceType == typeof(IJobMonitor));
            services.Replace(ServiceDescriptor.Singleton(sp =>
            {
                var inner = (IJobMonitor)(original.ImplementationFactory?.Invoke(sp)
                    ?? original.ImplementationInstance
                    ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!));
                var monitor = DispatchProxy.Create<IJobMonitor, SwitchedMonitor>();
                ((SwitchedMonitor)(object)monitor).Attach(inner, this);
                return monitor;
            }));
        }
    }

    /// <summary>Not sealed: <see cref="DispatchProxy"/> derives the proxy from it.</summary>
#pragma warning disable CA1852 // The derived type is emitted at run time.
    internal class SwitchedMonitor : DispatchProxy
#pragma warning restore CA1852
    {
        private IJobMonitor _inner = null!;
        private DatabaseSwitch _database = null!;

        public void Attach(IJobMonitor inner, DatabaseSwitch database)
        {
            _inner = inner;
            _database = database;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (!_database.Reachable)
            {
                throw _database.Failure();
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is { } inner)
            {
                ExceptionDispatchInfo.Throw(inner);
                throw;
            }
        }
    }
}
