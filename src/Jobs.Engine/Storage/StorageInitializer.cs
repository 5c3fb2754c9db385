using Jobs.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Storage;

/// <summary>Prepares the database once per process: provider settings, then the schema. A failed attempt is retried by the next caller.</summary>
internal sealed class StorageInitializer(StorageProvider provider, IOptions<JobsOptions> options, ILogger<StorageInitializer> logger)
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

    private async Task InitializeAsync()
    {
        // Not tied to one caller's token: others may be waiting on the same initialization.
        var db = provider.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            await db.Database.OpenConnectionAsync().ConfigureAwait(false);
            await provider.PrepareAsync(db.Database.GetDbConnection(), CancellationToken.None).ConfigureAwait(false);
            if (options.Value.Database.AutoMigrate)
            {
                Log.Migrating(logger, provider.Name);
                await db.Database.MigrateAsync().ConfigureAwait(false);
            }
        }
    }
}
