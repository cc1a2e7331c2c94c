using System.CommandLine;
using DefenderMcp.Audit;

namespace DefenderMcp.Cli;

/// <summary><c>defender-mcp audit verify FILE...</c>: checks the audit trail's hash chain, across rotated files too.</summary>
public static class AuditCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("file")
        {
            Description = "The audit file; for a rotated trail its archives and then the file, oldest first (audit.*.jsonl audit.jsonl).",
            Arity = ArgumentArity.OneOrMore,
        };
        var verify = new Command("verify", "Verify the SHA-256 chain of audit files and their heads (FILE.head), and that each file continues the one before; exit 1 at the first broken line, a broken join, or lines cut from the end; exit 3 when the chain is intact but records lines that reached only stderr (the file could not be reopened).");
        verify.Arguments.Add(files);
        verify.SetAction(parse => Verify(parse.GetValue(files)!));
        var command = new Command("audit", "Audit trail utilities.");
        command.Subcommands.Add(verify);
        return command;
    }

    private static int Verify(IReadOnlyList<FileInfo> paths)
    {
        foreach (var path in paths)
        {
            if (!path.Exists)
            {
                Console.Error.WriteLine(Directory.Exists(path.FullName)
                    ? $"defender-mcp audit verify: {path.Name} is a folder; give the audit file (DEFENDER_MCP_AUDIT_FILE)."
                    : $"defender-mcp audit verify: {path.Name}: file not found.");
                return 2;
            }

            if (!Configuration.SecureFile.IsReadable(path.FullName))
            {
                // Verifying reads the file: as the user the server writes it as, or one given read access.
                Console.Error.WriteLine($"defender-mcp audit verify: this user ({Environment.UserName}) cannot read {path.Name}; run it as the user the server runs as.");
                return 2;
            }
        }

        AuditChainCheck? first = null;
        AuditChainCheck? previous = null;
        long total = 0;
        var gaps = new List<string>();
        for (var i = 0; i < paths.Count; i++)
        {
            var path = paths[i];
            var check = AuditChain.Check(File.ReadLines(path.FullName));
            if (check.BrokenAt is { } line)
            {
                Console.WriteLine($"audit chain BROKEN in {path.Name} at line {line}");
                return 1;
            }

            if (previous is not null && check.ContinuesFrom != previous.LastHash)
            {
                Console.WriteLine($"audit chain BROKEN between {paths[i - 1].Name} and {path.Name}: {path.Name} does not continue it (give the files oldest first, with none missing)");
                return 1;
            }

            var headPath = AuditHead.PathFor(path.FullName);
            var head = AuditHead.TryRead(headPath);
            if (head is null)
            {
                Console.WriteLine($"audit chain of {path.Name} intact, but its head ({Path.GetFileName(headPath)}) is missing or unreadable: lines cut from the end cannot be ruled out");
                return 1;
            }

            if (check.Lines != head.Lines || check.LastHash != head.LastHash)
            {
                Console.WriteLine($"audit chain BROKEN at the end of {path.Name}: {EndMismatch(check, head)}");
                return 1;
            }

            total += check.Lines;
            gaps.AddRange(check.Gaps.Select(gap =>
                $"GAP in {path.Name} at line {gap.Line}: {gap.MissingLines} lines reached only stderr (the file could not be reopened); they follow {gap.AfterHash}, the first hashes to {gap.FirstHash}, the last to {gap.LastHash}"));
            first ??= check;
            previous = check;
        }

        var files = paths.Count == 1 ? $"{total} lines, head matches" : $"{paths.Count} files, {total} lines, heads and joins match";
        Console.WriteLine(first!.ContinuesFrom is null
            ? $"audit chain intact ({files})"
            : $"audit chain intact ({files}); it continues {first.PreviousFile ?? "an earlier file"}: give that archive first to check the join too");
        foreach (var gap in gaps)
        {
            // Not tampering: the server said so itself, in the chain. The lines are in its stderr log, under these hashes.
            Console.WriteLine(gap);
        }

        return gaps.Count == 0 ? 0 : 3;
    }

    /// <summary>What a head that disagrees with its file's end says happened, in the words an auditor needs.</summary>
    internal static string EndMismatch(AuditChainCheck check, AuditHead head) =>
        check.Lines < head.Lines
            ? $"its head records {head.Lines} lines and the file holds {check.Lines}: {Lines(head.Lines - check.Lines)} cut from its end"
            : check.Lines > head.Lines
                ? $"the file holds {check.Lines} lines, {check.Lines - head.Lines} more than the {head.Lines} its head records: lines were added that the server did not write (or the head was replaced)"
                : $"the file holds the {head.Lines} lines its head records, but its last line is not the one the head records: the end was rewritten";

    private static string Lines(long count) => count == 1 ? "1 line was" : $"{count} lines were";
}
