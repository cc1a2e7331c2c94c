using DefenderMcp.Audit;
using DefenderMcp.Tests.Hunting;

namespace DefenderMcp.Tests.Audit;

/// <summary>What the audit tests that break and heal the file share: lines to write, stderr's chain, and verify.</summary>
internal static class AuditTrailText
{
    /// <summary><c>defender-mcp audit verify</c> over <paramref name="paths"/>, oldest first: its exit code.</summary>
    public static int Verify(params string[] paths) => DefenderMcp.Cli.AuditCommand.Create().Parse(["verify", .. paths]).Invoke();

    /// <summary>The chained lines stderr carries (audit_failure reports are said beside the chain, not in it).</summary>
    public static List<string> ChainedLines(StringWriter console) =>
        [.. console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains("\"audit_failure\"", StringComparison.Ordinal))];

    /// <summary>Writes <paramref name="count"/> tool-call lines named from <paramref name="from"/> on, the clock moving <paramref name="step"/> before each.</summary>
    public static void WriteToolCalls(AuditLog log, ManualTimeProvider time, int from, int count, TimeSpan step)
    {
        for (var i = from; i < from + count; i++)
        {
            time.Advance(step);
            log.Write(new AuditRecord { Event = "tool_call", Tool = $"list_alerts_{i:D3}", Tenants = ["contoso"], Outcome = "success" });
        }
    }
}
