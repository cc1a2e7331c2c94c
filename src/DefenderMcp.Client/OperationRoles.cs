namespace DefenderMcp.Client;

/// <summary>One row of <see cref="AppRoles.Table"/>: an operation and the app roles the service accepts for it.</summary>
/// <param name="Operation">What the operation does, in words (the docs' table shows it).</param>
/// <param name="Api">Whose token must carry the role: Microsoft Graph or WindowsDefenderATP.</param>
/// <param name="Use">Which group of tools performs it.</param>
/// <param name="AnyOf">The accepted roles, any one suffices; the first is the one to ask an administrator for.</param>
/// <param name="Toolsets">
/// The server's toolsets (<c>--toolsets</c> names) whose tools perform it, so a host asks only for the roles of the
/// tools it lists: a server without the vulnerabilities toolset does not need <c>Vulnerability.Read.All</c>.
/// </param>
public sealed record OperationRoles(string Operation, DefenderApi Api, RoleUse Use, IReadOnlyList<string> AnyOf, IReadOnlyList<string> Toolsets);
