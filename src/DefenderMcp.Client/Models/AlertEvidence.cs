using System.Text.Json;

namespace DefenderMcp.Client;

/// <summary>One piece of alert evidence; <see cref="Raw"/> keeps every documented field of its derived type.</summary>
/// <param name="Type">The derived type without namespace, e.g. <c>deviceEvidence</c>.</param>
/// <param name="Verdict">unknown, suspicious, malicious, noThreatsFound.</param>
/// <param name="RemediationStatus">none, remediated, prevented, blocked, notFound.</param>
/// <param name="Roles">Evidence roles.</param>
/// <param name="Raw">The evidence object.</param>
public sealed record AlertEvidence(string Type, string? Verdict, string? RemediationStatus, IReadOnlyList<string> Roles, JsonElement Raw);
