namespace DefenderMcp.Hosting.Doctor;

/// <summary>One line of the doctor's report. Never holds a secret: details name settings, files and public facts only.</summary>
/// <param name="Tenant">The tenant key, or <c>*</c> for server-wide checks.</param>
/// <param name="Check">What was checked (configuration, file mode, certificate, token, roles, endpoint, clock).</param>
/// <param name="Status">The outcome.</param>
/// <param name="Detail">What was found.</param>
/// <param name="Fix">What to do about a problem or warning; null when all is well.</param>
public sealed record DoctorFinding(string Tenant, string Check, DoctorStatus Status, string Detail, string? Fix = null)
{
    /// <summary>A server-wide finding's tenant column.</summary>
    public const string AllTenants = "*";
}
