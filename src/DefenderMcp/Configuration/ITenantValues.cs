namespace DefenderMcp.Configuration;

/// <summary>
/// One tenant's raw settings, asked for by their tenants-file field name (<c>tenant_id</c>, <c>cert_path</c>, ...),
/// wherever they live. The tenant rules are written once, in <see cref="TenantReader"/>; a source only knows how to
/// find a value, how to report a value of the wrong shape, and how to name the setting in a problem line.
/// </summary>
internal interface ITenantValues
{
    /// <summary>The setting a user sees in a problem about <paramref name="field"/>: <c>AZURE_CERT_PATH</c> or <c>tenants.contoso.cert_path</c>.</summary>
    string PathOf(string field);

    /// <summary>True when the setting is present (for a secret: in any of the forms the source accepts).</summary>
    bool Has(string field);

    /// <summary>The trimmed text, or null when unset; a value of the wrong type is reported and read as null.</summary>
    string? Get(string field);

    /// <summary>A list of strings, or null when unset.</summary>
    IReadOnlyList<string>? GetList(string field);

    /// <summary>An integer, or null when unset; bounds are the reader's business.</summary>
    int? GetInt(string field);

    /// <summary>A boolean, or null when unset.</summary>
    bool? GetBool(string field);

    /// <summary>A secret (client secret, certificate passphrase): null when unset, or when it cannot be read (reported).</summary>
    string? GetSecret(string field);
}
