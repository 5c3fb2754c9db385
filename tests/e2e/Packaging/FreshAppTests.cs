using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Jobs.E2E.Packaging;

/// <summary>How the README's Quick start stays true: the solution is packed into a folder feed, a new web app is made outside
/// the repository with the README's own commands (which add the packages by name from that feed), its Program.cs is the
/// README's, and it is built and run: the dashboard answers and a job scheduled from the app's endpoint runs.</summary>
public sealed class FreshAppTests : IDisposable
{
    // One package per concern; symbols beside each.
    private static readonly string[] Packages = ["Jobs.Dashboard", "Jobs.Engine", "Jobs.PostgreSql", "Jobs.SqlServer", "Jobs.Testing"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "jobs-fresh-app-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task QuickStart_PastedIntoNewWebApp_BuildsFromPackagesAndRunsAJob()
    {
        var repository = RepositoryRoot();
        var readme = (await File.ReadAllTextAsync(Path.Combine(repository, "README.md"))).Replace("\r\n", "\n", StringComparison.Ordinal);
        await PackIntoFeedAsync(repository);

        // The README's commands as they are, one script (its "cd MyApp" carries over to the lines after it).
        var commands = Path.Combine(_root, "quick-start.sh");
        await File.WriteAllTextAsync(commands, "set -euo pipefail\n" + Block(readme, "## Quick start", "```bash\n"));
        await RunAsync(_root, "bash", commands);

        var app = Path.Combine(_root, "MyApp");
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), Block(readme, "<!-- quick-start:program -->", "```csharp\n"));
        await RunAsync(app, "dotnet", "build -c Release");

        var assets = await File.ReadAllTextAsync(Path.Combine(app, "obj", "project.assets.json"));
        Assert.Contains("\"Jobs.Engine/" + Version + "\"", assets, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", assets, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.EntityFrameworkCore.SqlServer", assets, StringComparison.Ordinal);

        var port = FreePort();
        var output = new StringBuilder();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var info = Start(app, "dotnet", $"run -c Release --no-build --no-launch-profile --urls http://127.0.0.1:{port}");
        using var process = Process.Start(info)!;
        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }

            if (line.Contains("Now listening on", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Task.WhenAny(listening.Task, process.WaitForExitAsync()).WaitAsync(TimeSpan.FromMinutes(2));
            Assert.False(process.HasExited, $"the app stopped:\n{output}");

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            using var dashboard = await http.GetAsync(new Uri("/jobs/", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
            Assert.Contains("<title>", await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var signup = await http.PostAsync(new Uri("/signup?email=ada@example.com", UriKind.Relative), null);
            Assert.True(signup.IsSuccessStatusCode, $"POST /signup: {(int)signup.StatusCode}\n{output}");
            var id = (await signup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

            // Another process's database state: read over HTTP until the job has run, within a generous bound.
            var deadline = DateTime.UtcNow.AddMinutes(1);
            string status;
            do
            {
                status = (await http.GetFromJsonAsync<JsonElement>(new Uri($"/signup/{id}", UriKind.Relative))).GetProperty("status").GetString()!;
                if (status == "Finished")
                {
                    break;
                }

                await Task.Delay(100);
            }
            while (DateTime.UtcNow < deadline);

            Assert.True(status == "Finished", $"job {id} is {status}\n{output}");
            lock (output)
            {
                Assert.Contains("Welcome e-mail sent to ada@example.com", output.ToString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task TestingGuide_ExampleInNewTestProject_PassesWithTheKitFromPackages()
    {
        var repository = RepositoryRoot();
        await PackIntoFeedAsync(repository);
        var project = Directory.CreateDirectory(Path.Combine(_root, "MyApp.Tests")).FullName;

        // A plain xunit project (the versions this repository tests with), the guide's install command, the guide's example.
        var versions = await File.ReadAllTextAsync(Path.Combine(repository, "Directory.Packages.props"));
        await File.WriteAllTextAsync(Path.Combine(project, "MyApp.Tests.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="{PinnedVersion(versions, "Microsoft.NET.Test.Sdk")}" />
                <PackageReference Include="xunit" Version="{PinnedVersion(versions, "xunit")}" />
                <PackageReference Include="xunit.runner.visualstudio" Version="{PinnedVersion(versions, "xunit.runner.visualstudio")}" />
              </ItemGroup>
              <ItemGroup>
                <Using Include="Xunit" />
              </ItemGroup>
            </Project>
            """);
        var guide = (await File.ReadAllTextAsync(Path.Combine(repository, "docs", "testing.md"))).Replace("\r\n", "\n", StringComparison.Ordinal);
        var install = Path.Combine(_root, "install-kit.sh");
        await File.WriteAllTextAsync(install, "set -euo pipefail\n" + Block(guide, "# Testing code that uses Jobs", "```bash\n"));
        await RunAsync(project, "bash", install);
        await File.WriteAllTextAsync(Path.Combine(project, "SignupTests.cs"), Block(guide, "## Example", "```csharp\n"));

        var output = await RunAsync(project, "dotnet", "test -c Release");

        Assert.Contains("Passed!  - Failed:     0, Passed:     2, Skipped:     0, Total:     2", output, StringComparison.Ordinal);
        var assets = await File.ReadAllTextAsync(Path.Combine(project, "obj", "project.assets.json"));
        Assert.Contains("\"Jobs.Testing/" + Version + "\"", assets, StringComparison.Ordinal);
    }

    /// <summary>Packs the solution into a folder feed under this test's root, checks the packages made, and writes a
    /// nuget.config above every project the test creates.</summary>
    private async Task PackIntoFeedAsync(string repository)
    {
        var feed = Directory.CreateDirectory(Path.Combine(_root, "feed")).FullName;
        await RunAsync(repository, "dotnet", $"pack Jobs.sln -c {Configuration} --no-build -o {feed}");
        var packed = Directory.GetFiles(feed).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Packages.SelectMany(p => new[] { $"{p}.{Version}.nupkg", $"{p}.{Version}.snupkg" }).Order(StringComparer.Ordinal), packed);

        // The projects find the packages by name in the folder feed (beside the machine's own sources), and restore into a
        // packages folder of their own so no copy of an earlier build is taken from a cache; everything else comes from the
        // machine's packages folder, read-only.
        await File.WriteAllTextAsync(Path.Combine(_root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><add key="jobs-local" value="{feed}" /></packageSources>
              <fallbackPackageFolders><add key="machine" value="{MachinePackagesFolder()}" /></fallbackPackageFolders>
            </configuration>
            """);
    }

    private static string PinnedVersion(string packagesProps, string id)
    {
        var marker = $"<PackageVersion Include=\"{id}\" Version=\"";
        var at = packagesProps.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return packagesProps[at..packagesProps.IndexOf('"', at)];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a process that is being killed: the temp folder is cleaned by the machine.
        }
    }

    /// <summary>The fenced block that follows <paramref name="heading"/> and opens with <paramref name="fence"/>.</summary>
    private static string Block(string readme, string heading, string fence)
    {
        var at = readme.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(at >= 0, $"README.md has no '{heading}'");
        var from = readme.IndexOf(fence, at, StringComparison.Ordinal) + fence.Length;
        return readme[from..readme.IndexOf("```\n", from, StringComparison.Ordinal)];
    }

    /// <summary>Runs the command to its end and returns its standard output; fails the test when it exits with an error.</summary>
    private async Task<string> RunAsync(string directory, string file, string arguments)
    {
        var info = Start(directory, file, arguments);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(process.ExitCode == 0, $"{file} {arguments} (in {info.WorkingDirectory}) exited {process.ExitCode}\n{await stdout}\n{await stderr}");
        return await stdout;
    }

    private ProcessStartInfo Start(string directory, string file, string arguments)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["NUGET_PACKAGES"] = Path.Combine(_root, "packages");
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // The test run's own settings must not leak into the new app (it is a stranger to this repository).
        info.Environment.Remove("MSBuildExtensionsPath");
        info.Environment.Remove("MSBUILD_EXE_PATH");
        info.Environment.Remove("MSBuildSDKsPath");
        info.Environment.Remove("DOTNET_HOST_PATH");
        return info;
    }

    private static string MachinePackagesFolder()
        => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Configuration
        => typeof(FreshAppTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    // The version the packages are built with (Directory.Build.props), read from the engine assembly this test was built with.
    private static string Version
        => typeof(JobsOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Jobs.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Jobs.sln not found above " + AppContext.BaseDirectory);
    }
}
