using Jobs.Registration;
using Jobs.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jobs;

/// <summary>Registers job types. A name may be registered once; every process that runs a type must register it.</summary>
public static class JobsBuilderExtensions
{
    /// <summary>Registers a job type whose handler is a delegate taking a payload.</summary>
    public static IJobsBuilder AddJobType<TArgs>(
        this IJobsBuilder builder, string name, Func<TArgs, JobContext, Task> handler, Action<JobTypeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(builder, name, typeof(TArgs), configure, (_, args, ctx) => handler((TArgs)args!, ctx));
    }

    /// <summary>Registers a job type without payload whose handler is a delegate.</summary>
    public static IJobsBuilder AddJobType(
        this IJobsBuilder builder, string name, Func<JobContext, Task> handler, Action<JobTypeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(builder, name, null, configure, (_, _, ctx) => handler(ctx));
    }

    /// <summary>Registers a job type handled by <typeparamref name="THandler"/>, resolved from a new scope for every attempt.</summary>
    public static IJobsBuilder AddJobType<TArgs, THandler>(this IJobsBuilder builder, string name, Action<JobTypeOptions>? configure = null)
        where THandler : class, IJobHandler<TArgs>
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<THandler>();
        return Add(builder, name, typeof(TArgs), configure, (sp, args, ctx) => sp.GetRequiredService<THandler>().ExecuteAsync((TArgs)args!, ctx));
    }

    /// <summary>Registers a job type without payload handled by <typeparamref name="THandler"/>, resolved from a new scope for every attempt.</summary>
    public static IJobsBuilder AddJobHandler<THandler>(this IJobsBuilder builder, string name, Action<JobTypeOptions>? configure = null)
        where THandler : class, IJobHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<THandler>();
        return Add(builder, name, null, configure, (sp, _, ctx) => sp.GetRequiredService<THandler>().ExecuteAsync(ctx));
    }

    private static IJobsBuilder Add(
        IJobsBuilder builder, string name, Type? argsType, Action<JobTypeOptions>? configure, Func<IServiceProvider, object?, JobContext, Task> invoke)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(name);
        if (StoredText.NameProblem(name) is { } nameProblem)
        {
            throw new ArgumentException($"The job type name {StoredText.Quote(name)} {nameProblem}.", nameof(name));
        }

        var options = new JobTypeOptions();
        configure?.Invoke(options);
        if (options.Queue is not null && StoredText.NameProblem(options.Queue) is { } queueProblem)
        {
            throw new ArgumentException(
                $"Job type {StoredText.Quote(name)}: JobTypeOptions.Queue {StoredText.Quote(options.Queue)} {queueProblem}.", nameof(configure));
        }
        builder.Services.AddSingleton(new JobTypeDefinition(name, argsType, options, invoke));
        return builder;
    }
}
