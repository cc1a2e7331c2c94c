using System.CommandLine;
using DefenderMcp.Audit;

namespace DefenderMcp.Cli;

/// <summary><c>defender-mcp audit verify FILE</c>: checks the audit file's hash chain.</summary>
public static class AuditCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The audit file (JSON lines)." };
        var verify = new Command("verify", "Verify the SHA-256 chain of an audit file and its head (FILE.head); exit 1 at the first broken line or when lines were cut from the end.");
        verify.Arguments.Add(file);
        verify.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                Console.Error.WriteLine(Directory.Exists(path.FullName) ? "defender-mcp audit verify: that is a folder; give the audit file (DEFENDER_MCP_AUDIT_FILE)." : "defender-mcp audit verify: file not found.");
                return 2;
            }

            if (!Configuration.SecureFile.IsReadable(path.FullName))
            {
                // Verifying reads the file: as the user the server writes it as, or one given read access.
                Console.Error.WriteLine($"defender-mcp audit verify: this user ({Environment.UserName}) cannot read the file; run it as the user the server runs as.");
                return 2;
            }

            var broken = AuditChain.Verify(File.ReadLines(path.FullName));
            if (broken is { } line)
            {
                Console.WriteLine($"audit chain BROKEN at line {line}");
                return 1;
            }

            var headPath = AuditHead.PathFor(path.FullName);
            var head = AuditHead.TryRead(headPath);
            if (head is null)
            {
                Console.WriteLine($"audit chain intact, but its head ({Path.GetFileName(headPath)}) is missing or unreadable: lines cut from the end cannot be ruled out");
                return 1;
            }

            var (lines, lastHash) = AuditChain.CountAndLastHash(path.FullName);
            if (lines != head.Lines || lastHash != head.LastHash)
            {
                Console.WriteLine($"audit chain BROKEN at the end: the head records {head.Lines} lines, the file holds {lines} that do not end where the head does");
                return 1;
            }

            Console.WriteLine($"audit chain intact ({lines} lines, head matches)");
            return 0;
        });
        var command = new Command("audit", "Audit trail utilities.");
        command.Subcommands.Add(verify);
        return command;
    }
}
