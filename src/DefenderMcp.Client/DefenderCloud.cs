namespace DefenderMcp.Client;

/// <summary>The Microsoft clouds Defender runs in.</summary>
public enum DefenderCloud
{
    /// <summary>Worldwide commercial cloud.</summary>
    Commercial,

    /// <summary>US Government Community Cloud (worldwide Entra and Graph, GCC MDE host).</summary>
    GCC,

    /// <summary>US Government GCC High.</summary>
    GCCHigh,

    /// <summary>US Department of Defense.</summary>
    DoD,
}
