namespace DefenderMcp.Configuration;

/// <summary>How far a tenant lets the server act: each tier includes the ones before it.</summary>
public enum ActionTier
{
    /// <summary>Reads only (the default).</summary>
    Read = 0,

    /// <summary>Response actions: device actions, incident and alert updates, indicators, detection rules.</summary>
    Respond = 1,

    /// <summary>Live response on devices, on top of <see cref="Respond"/>.</summary>
    LiveResponse = 2,
}
