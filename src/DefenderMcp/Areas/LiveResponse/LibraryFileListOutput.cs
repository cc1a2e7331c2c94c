namespace DefenderMcp.Areas.LiveResponse;

/// <summary>The tenant's live-response library.</summary>
public sealed record LibraryFileListOutput(string Tenant, int Count, IReadOnlyList<LibraryFileOutput> Files);
