namespace DefenderMcp.Kql.Guard;

/// <summary>The guard's verdict.</summary>
/// <param name="Allowed">False when the query must not be sent.</param>
/// <param name="Rejection">Why it was refused: a short message naming the construct, never the query.</param>
/// <param name="Warnings">Advice that does not block (unknown table, no time filter ...).</param>
public sealed record KqlGuardResult(bool Allowed, string? Rejection, IReadOnlyList<string> Warnings);
