namespace DefenderMcp.Emulator.Data;

/// <summary>
/// One product on one device: a row of the software inventory (the export API's and DeviceTvmSoftwareInventory's
/// shape), and, through <see cref="Cves"/>, the rows of DeviceTvmSoftwareVulnerabilities.
/// </summary>
/// <param name="DeviceId">MDE machine id.</param>
/// <param name="DeviceName">computerDnsName.</param>
/// <param name="OsPlatform">osPlatform.</param>
/// <param name="RbacGroupName">The device group.</param>
/// <param name="Software">The product.</param>
/// <param name="Version">The version installed.</param>
/// <param name="FirstSeen">When the product was first seen on the device (ISO 8601).</param>
public sealed record InstalledSoftware(string DeviceId, string DeviceName, string OsPlatform, string RbacGroupName, SoftwareDefinition Software, string Version, string FirstSeen)
{
    /// <summary>Whether this install runs the vulnerable version.</summary>
    public bool IsVulnerable => Software.VulnerableVersion is not null && Version == Software.VulnerableVersion;

    /// <summary>The CVEs this install is exposed to.</summary>
    public IReadOnlyList<string> Cves => IsVulnerable ? Software.Cves : [];
}
