using System.Runtime.ExceptionServices;

namespace DefenderMcp.Client.Auth;

/// <summary>A prefetched token's failure, kept for the call it was fetched for.</summary>
/// <param name="Scope">The scope asked for.</param>
/// <param name="Failure">What the request threw.</param>
/// <param name="At">When.</param>
internal sealed record PrefetchFailure(string Scope, ExceptionDispatchInfo Failure, DateTimeOffset At);
