namespace DefenderMcp.Client;

/// <summary>An app role a group of operations needs: any one of <paramref name="AnyOf"/> satisfies it (ReadWrite covers Read).</summary>
/// <param name="Api">Whose token must carry it.</param>
/// <param name="AnyOf">The accepted roles, the narrowest first (the one to ask an administrator for).</param>
public sealed record RoleRequirement(DefenderApi Api, IReadOnlyList<string> AnyOf);
