namespace DefenderMcp.Hosting.Doctor;

/// <summary>One line of the doctor's report. Never holds a secret: details name settings, files and public facts only.</summary>
/// <param name="Tenant">The tenant key, or <c>*</c> for server-wide checks.</param>
/// <param name="Check">What was checked (configuration, file mode, certificate, token, roles, endpoint, clock).</param>
/// <param name="Status">The outcome.</param>
/// <param name="Detail">What was found.</param>
/// <param name="Fix">What to do about a problem or warning; null when all is well.</param>
/// <param name="RefusesStart">
/// True for a problem <c>serve</c> refuses to start on (a bad callers rule, an invalid HTTP setting): like a setting
/// the configuration loader refuses, it makes the configuration invalid (exit 2), not merely a problem (exit 1).
/// </param>
public sealed record DoctorFinding(string Tenant, string Check, DoctorStatus Status, string Detail, string? Fix = null, bool RefusesStart = false)
{
    /// <summary>A server-wide finding's tenant column.</summary>
    public const string AllTenants = "*";
}
