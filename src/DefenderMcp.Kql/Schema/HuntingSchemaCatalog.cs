namespace DefenderMcp.Kql.Schema;

/// <summary>
/// The advanced hunting schema (defender-api.md §4): every table of the official schema reference with its documented
/// columns and KQL types, and the documented functions. The data lives in the embedded <c>hunting-schema.json</c>, drawn
/// from <see cref="Source"/> as of <see cref="SourceDate"/>. Used by the guard's warnings, the <c>get_hunting_schema</c>
/// tool and the emulator's tables.
/// </summary>
public static class HuntingSchemaCatalog
{
    private const int MaxProbe = 128;

    private static readonly Lazy<HuntingSchemaData> Data = new(HuntingSchemaData.Load);

    /// <summary>Where the catalog comes from: the documentation repository and pages it was read from.</summary>
    public static string Source => Data.Value.Source;

    /// <summary>The date (ISO 8601) of the schema reference page the table list was read from.</summary>
    public static string SourceDate => Data.Value.SourceDate;

    /// <summary>Every table, in name order.</summary>
    public static IReadOnlyList<HuntingTableSchema> Tables => Data.Value.Tables;

    /// <summary>Every documented function (FileProfile, DeviceFromIP, AssignedIPAddresses, SeenBy ...), in name order.</summary>
    public static IReadOnlyList<HuntingFunctionSchema> Functions => Data.Value.Functions;

    /// <summary>A documented function by exact name, or null.</summary>
    public static HuntingFunctionSchema? FindFunction(string name) =>
        Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));

    /// <summary>The closest function names to <paramref name="name"/>, nearest first.</summary>
    public static IReadOnlyList<string> SuggestFunctions(string name, int count = 3) =>
        Closest(name, Functions.Select(f => f.Name), count);

    /// <summary>A table by exact name (KQL names are case-sensitive), or null.</summary>
    public static HuntingTableSchema? Find(string name) => Tables.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    /// <summary>A table by name ignoring case, or null.</summary>
    public static HuntingTableSchema? FindIgnoreCase(string name) => Tables.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The closest table names to <paramref name="name"/>, nearest first.</summary>
    public static IReadOnlyList<string> SuggestTables(string name, int count = 3) =>
        Closest(name, Tables.Select(t => t.Name), count);

    /// <summary>The closest column names of <paramref name="table"/> to <paramref name="name"/>.</summary>
    public static IReadOnlyList<string> SuggestColumns(HuntingTableSchema table, string name, int count = 3) =>
        Closest(name, table.Columns.Select(c => c.Name), count);

    /// <summary>
    /// The Graph runHuntingQuery <c>schema[].type</c> name for a KQL type: datetime→DateTime, string→String, long→Int64,
    /// int→Int32, bool→Boolean, real→Double, timespan→TimeSpan, guid→Guid, dynamic (and anything else)→Object.
    /// </summary>
    /// <remarks>
    /// Only DateTime and String appear in Microsoft's published responses; the others are the .NET type names those two
    /// follow. guid→Guid is not confirmed by a published response (none shows a guid column, such as
    /// DataSecurityEvents.AadDeviceId); it is the .NET name, and the name Kusto's own v1 results give a guid column.
    /// The emulator reports the same names, so demo mode and this catalog agree.
    /// </remarks>
    public static string ApiTypeName(string kqlType) => kqlType switch
    {
        "datetime" => "DateTime",
        "string" => "String",
        "long" => "Int64",
        "int" => "Int32",
        "bool" or "boolean" => "Boolean",
        "real" => "Double",
        "timespan" => "TimeSpan",
        "guid" => "Guid",
        _ => "Object",
    };

    private static IReadOnlyList<string> Closest(string name, IEnumerable<string> candidates, int count)
    {
        // Names come from untrusted queries: compare a bounded prefix so the distance stays cheap.
        var probe = (name.Length > MaxProbe ? name[..MaxProbe] : name).ToLowerInvariant();
        return [.. candidates
            .Select(c => (Name: c, Distance: Score(probe, c.ToLowerInvariant())))
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(Math.Max(count, 0))
            .Select(x => x.Name)];
    }

    private static double Score(string probe, string candidate)
    {
        // Edit distance, except that a typed prefix of a name ("IdentityLogon") costs little per missing character.
        double distance = EditDistance.Between(probe, candidate);
        return probe.Length > 0 && candidate.StartsWith(probe, StringComparison.Ordinal)
            ? Math.Min(distance, 1 + ((candidate.Length - probe.Length) / 4.0))
            : distance;
    }
}
