namespace DefenderMcp.Emulator.Data;

/// <summary>
/// A product the emulated devices run: the current (fixed) version, the older version that some devices still run and
/// the CVEs that version has, its end-of-support state (the export API's and DeviceTvmSoftwareInventory's values), and
/// the KB that fixes it when the fix is a Windows update.
/// </summary>
/// <param name="Vendor">Vendor as TVM spells it (lower case), e.g. microsoft.</param>
/// <param name="Name">Product as TVM spells it, e.g. office.</param>
/// <param name="DisplayName">What a recommendation calls it, e.g. Microsoft Office.</param>
/// <param name="CurrentVersion">The version without the CVEs.</param>
/// <param name="VulnerableVersion">The older version that has <paramref name="Cves"/>, or null when every install is current.</param>
/// <param name="Cves">CVE ids of the vulnerable version.</param>
/// <param name="EndOfSupportStatus">None, EOS Version, Upcoming EOS Version, EOS Software or Upcoming EOS Software.</param>
/// <param name="EndOfSupportDate">yyyy-MM-dd, or null.</param>
/// <param name="FixingKbId">The KB number that fixes the CVEs, or null (fixed by a product update).</param>
/// <param name="RecommendedAction">Update, Upgrade or Uninstall: what the recommendation asks.</param>
/// <param name="EvidencePath">The file that shows the product is installed (DeviceTvmSoftwareEvidenceBeta's disk path).</param>
public sealed record SoftwareDefinition(
    string Vendor,
    string Name,
    string DisplayName,
    string CurrentVersion,
    string? VulnerableVersion,
    IReadOnlyList<string> Cves,
    string EndOfSupportStatus,
    string? EndOfSupportDate,
    string? FixingKbId,
    string RecommendedAction,
    string EvidencePath)
{
    /// <summary>The MDE software id, <c>{vendor}-_-{name}</c>.</summary>
    public string Id => $"{Vendor}-_-{Name}";

    /// <summary>How DeviceTvmSoftwareVulnerabilitiesKB's AffectedSoftware names the product, <c>{vendor}_{name}</c>.</summary>
    public string AffectedName => $"{Vendor}_{Name}";
}
