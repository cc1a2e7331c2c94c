namespace DefenderMcp.Policy;

/// <summary>What a caller rule matches on; the prefix of its key in the callers file (<c>key:</c>, <c>role:</c>, <c>group:</c>, <c>oid:</c>).</summary>
public enum CallerMatchKind
{
    /// <summary>An API key's name.</summary>
    Key,

    /// <summary>An Entra app role in the token's <c>roles</c>.</summary>
    Role,

    /// <summary>An Entra group object id in the token's <c>groups</c>.</summary>
    Group,

    /// <summary>An Entra user or service principal object id (<c>oid</c>).</summary>
    Oid,
}
