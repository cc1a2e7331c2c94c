namespace DefenderMcp.Configuration;

/// <summary>How a person confirms a write before it is sent.</summary>
public enum ConfirmationMode
{
    /// <summary>The server asks the user through MCP elicitation (the default).</summary>
    Elicitation,

    /// <summary>The first call returns a preview and a single-use token; only the same call with the token acts.</summary>
    Token,

    /// <summary>No confirmation, for unattended automation; recorded on every audit line.</summary>
    None,
}
