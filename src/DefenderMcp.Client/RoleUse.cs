namespace DefenderMcp.Client;

/// <summary>Which group of tools performs an operation, so a host can ask only for the roles of what it enables.</summary>
public enum RoleUse
{
    /// <summary>Reads.</summary>
    Read,

    /// <summary>Response actions and triage writes.</summary>
    Write,

    /// <summary>Offboarding, which a host enables on its own (it cannot be undone from the API).</summary>
    Offboard,

    /// <summary>Live response and its library.</summary>
    LiveResponse,
}
