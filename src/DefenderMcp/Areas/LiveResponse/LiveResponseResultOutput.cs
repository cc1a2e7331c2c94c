using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary>One command's result: a page of a script's output, or a collected file.</summary>
/// <param name="Tenant">The tenant key.</param>
/// <param name="ActionId">The live-response action.</param>
/// <param name="Command">The command, with the page of its output for a script.</param>
/// <param name="Offset">Where the page starts in the output.</param>
/// <param name="NextOffset">Where the next page starts, or null at the end.</param>
/// <param name="File">For a GetFile command: the file, saved again into the download folder.</param>
public sealed record LiveResponseResultOutput(string Tenant, string ActionId, LiveResponseCommandResult Command, int Offset, int? NextOffset, CollectedFileResult? File);
