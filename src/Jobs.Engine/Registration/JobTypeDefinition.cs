namespace Jobs.Registration;

/// <summary>One registered job type: its name, payload type, options and how to invoke its handler.</summary>
internal sealed class JobTypeDefinition(
    string name,
    Type? argsType,
    JobTypeOptions options,
    Func<IServiceProvider, object?, JobContext, Task> invoke)
{
    public string Name { get; } = name;

    /// <summary>The payload type; null for a type without payload.</summary>
    public Type? ArgsType { get; } = argsType;

    public JobTypeOptions Options { get; } = options;

    public Func<IServiceProvider, object?, JobContext, Task> Invoke { get; } = invoke;
}
