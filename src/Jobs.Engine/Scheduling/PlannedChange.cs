using Jobs.States;
using Jobs.Storage;

namespace Jobs.Scheduling;

/// <summary>A decided operator change: the transition, and the compare-and-swap that makes it (null when nothing is to be stored).</summary>
internal readonly record struct PlannedChange(JobTransition Transition, JobUpdate? Update);
