using DefenderMcp.Emulator.Hunting.Evaluation;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary>
/// <c>invoke DeviceFromIP()</c>: the devices that held each input row's IP address (column IP, or the column given as
/// the first argument), at the row's time when a second argument gives one, else the latest. Returns the documented
/// (IP, DeviceId) table, each pair once, in input order.
/// </summary>
internal sealed class DeviceFromIpOperator(int ipColumn, Func<object?[], object?>? at, Func<IpAssignments> assignments) : QueryOperator(Schema)
{
    private static readonly RowSchema Schema = new([new HuntingColumnSchema("IP", "string"), new HuntingColumnSchema("DeviceId", "string")]);

    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input)
    {
        var table = assignments();
        var seen = new HashSet<(string, string)>();
        foreach (var row in input)
        {
            if (KqlValues.ToText(row[ipColumn]) is not { Length: > 0 } ip)
            {
                continue;
            }

            var when = at is null ? null : KqlValues.ConvertToDateTime(at(row));
            foreach (var device in table.DevicesWith(ip, when))
            {
                if (seen.Add((ip.ToLowerInvariant(), device.ToLowerInvariant())))
                {
                    yield return [ip, device];
                }
            }
        }
    }
}
