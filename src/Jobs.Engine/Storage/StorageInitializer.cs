using System.Data.Common;
using System.IO;
using System.Net.Sockets;
using Jobs.Diagnostics;
using Jobs.Storage.Sql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Storage;

/// <summary>Prepares the database once per process: provider settings, then the schema check (and migration when
/// <see cref="DatabaseOptions.AutoMigrate"/> is on), then the rewrites of existing rows a migration asked for
/// (<see cref="PayloadRewriter"/>). A failed attempt is retried by the next caller.</summary>
internal sealed class StorageInitializer(
    StorageProvider provider, PayloadRewriter payloads, IOptions<JobsOptions> options, ILogger<StorageInitializer> logger)
{
    private readonly Lock _lock = new();
    private Task? _initialization;

    public ValueTask EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        Task task;
        lock (_lock)
        {
            if (_initialization is { IsFaulted: true } or { IsCanceled: true })
            {
                _initialization = null;
            }

            task = _initialization ??= InitializeAsync();
        }

        return task.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(task.WaitAsync(cancellationToken));
    }

    /// <summary>True when <paramref name="exception"/> says the database could not be reached or failed for the moment,
    /// as opposed to a schema or configuration mistake that waiting will not fix.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is JobsSchemaException)
            {
                return false;
            }

            if (e is DbException or TimeoutException or IOException or SocketException)
            {
                return true;
            }
        }

        return false;
    }

    private async Task InitializeAsync()
    {
        // Not tied to one caller's token: others may be waiting on the same initialization.
        await PrepareSchemaAsync().ConfigureAwait(false);

        // Data, not schema: it runs whether this process migrated, another one did, or an operator ran the script.
        await payloads.RunAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task PrepareSchemaAsync()
    {
        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            await db.Database.OpenConnectionAsync().ConfigureAwait(false);
            await provider.PrepareAsync(db.Database.GetDbConnection(), CancellationToken.None).ConfigureAwait(false);

            var known = db.Database.GetMigrations().ToList();
            var codeVersion = known[^1];
            var applied = (await db.Database.GetAppliedMigrationsAsync().ConfigureAwait(false)).ToList();
            var databaseVersion = applied.Count == 0 ? null : applied.Max(StringComparer.Ordinal);
            if (applied.Except(known, StringComparer.Ordinal).Any())
            {
                throw new JobsSchemaException(
                    $"The {provider.Name} jobs database has schema version '{databaseVersion}', newer than this code's schema version " +
                    $"'{codeVersion}': a newer release of the application migrated it. Upgrade this application, or restore a schema it knows.",
                    databaseVersion, codeVersion);
            }

            if (!known.Except(applied, StringComparer.Ordinal).Any())
            {
                return;
            }

            if (!options.Value.Database.ShouldAutoMigrate)
            {
                throw new JobsSchemaException(
                    $"The {provider.Name} jobs database has schema version '{databaseVersion ?? "none (empty database)"}', older than this " +
                    $"code's schema version '{codeVersion}'. Apply the migrations: set Jobs:Database:AutoMigrate to true, or run the " +
                    $"idempotent script for {db.GetType().Name} (docs/databases.md).",
                    databaseVersion, codeVersion);
            }

            Log.Migrating(logger, provider.Name, databaseVersion ?? "none", codeVersion);
            var migrationLock = await provider.LockForMigrationAsync(db.Database.GetDbConnection(), CancellationToken.None).ConfigureAwait(false);
            try
            {
                await db.Database.MigrateAsync().ConfigureAwait(false);
            }
            finally
            {
                if (migrationLock is not null)
                {
                    await migrationLock.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }
}
