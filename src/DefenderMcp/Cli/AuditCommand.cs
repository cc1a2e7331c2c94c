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
        var verify = new Command("verify", "Verify the SHA-256 chain of audit files and their heads (FILE.head), and that each file continues the one before; exit 1 at the first broken line, a broken join, or lines cut from the end; exit 3 when the chain is intact but records lines that reached only stderr (the file could not be reopened or written), in the file or, while the server has not resumed it yet, in its head; exit 4 when the chain is intact but records that a restart found the file cut (an audit_truncated line: lines were removed while no server was writing it).");
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
        var cuts = new List<string>();
        for (var i = 0; i < paths.Count; i++)
        {
            var path = paths[i];
            var headPath = AuditHead.PathFor(path.FullName);
            var head = AuditHead.TryRead(headPath);
            var check = AuditChain.Check(HalfWrittenLineAfter(path.FullName, head?.Loss) ? File.ReadLines(path.FullName).SkipLast(1) : File.ReadLines(path.FullName));
            if (check.BrokenAt is { } line)
            {
                Console.WriteLine($"audit chain BROKEN in {path.Name} at line {line}");
                return 1;
            }

            if (previous is not null && check.ContinuesFrom is null && check.Truncations is [{ Line: 1, FoundLines: 0 }, ..])
            {
                // The live file was emptied or removed while stopped, and the next server began it again with the line
                // that says so: its join to the archive went with the cut lines. A cut, reported as one (exit 4).
                cuts.Add($"TRUNCATED at the join of {paths[i - 1].Name} and {path.Name}: {path.Name} was emptied or removed while no server was writing it, so it no longer continues {paths[i - 1].Name}; its first line records the cut");
            }
            else if (previous is not null && check.ContinuesFrom != previous.LastHash)
            {
                Console.WriteLine($"audit chain BROKEN between {paths[i - 1].Name} and {path.Name}: {path.Name} does not continue it (give the files oldest first, with none missing)");
                return 1;
            }

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
                $"GAP in {path.Name} at line {gap.Line}: {gap.MissingLines} lines reached only stderr (the file could not be reopened or written); they follow {gap.AfterHash}, the first hashes to {gap.FirstHash}, the last to {gap.LastHash}"));
            cuts.AddRange(check.Truncations.Select(cut =>
                $"TRUNCATED in {path.Name} at line {cut.Line}: when the server started, {cut.Explanation}; the missing lines end with the line hashing to {cut.ExpectedHash} (find them in the stderr log), the file went on after {(cut.FoundHash.Length == 0 ? "none" : cut.FoundHash)}"));
            if (head.Loss is { } loss)
            {
                // The server said so itself, in the head it rewrites with every such line; it resumes the file with this gap.
                gaps.Add($"GAP after line {head.Lines} of {path.Name}: lines are reaching only stderr since (the file could not be reopened or written and has not resumed yet), {loss.MissingLines} so far; they follow {loss.AfterHash}, the first hashes to {loss.FirstHash}, the last so far to {loss.LastHash}");
            }

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

        foreach (var cut in cuts)
        {
            // Someone else's doing, found and recorded by the next server: the chain is whole again only from there on.
            Console.WriteLine(cut);
        }

        return cuts.Count > 0 ? 4 : gaps.Count == 0 ? 0 : 3;
    }

    /// <summary>
    /// Whether the file ends in the half-written line a failed write left (what follows the length the head's loss
    /// records holds no newline): the server cuts it off when it resumes, so it is not judged as a line. Anything more
    /// than that, or a head that records no failed write, is judged as lines.
    /// </summary>
    private static bool HalfWrittenLineAfter(string path, AuditHeadLoss? loss)
    {
        if (loss?.GoodLength is not { } good)
        {
            return false;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (file.Length <= good)
        {
            return false;
        }

        file.Position = good;
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            if (buffer.AsSpan(0, read).Contains((byte)'\n'))
            {
                return false;
            }
        }

        return true;
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
