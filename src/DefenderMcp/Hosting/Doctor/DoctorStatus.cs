namespace DefenderMcp.Hosting.Doctor;

/// <summary>The outcome of one doctor check.</summary>
public enum DoctorStatus
{
    /// <summary>Works.</summary>
    Ok,

    /// <summary>Works today, but needs attention (a certificate close to expiry, a check that could not run).</summary>
    Warning,

    /// <summary>Broken: the server would fail; the finding names the fix.</summary>
    Problem,
}
