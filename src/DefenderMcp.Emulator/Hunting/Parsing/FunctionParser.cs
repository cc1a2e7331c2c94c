using System.Net.NetworkInformation;
using DefenderMcp.Emulator.Hunting.Evaluation;
using DefenderMcp.Emulator.Hunting.Operators;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>
/// The documented advanced hunting functions the emulator runs: <c>invoke FileProfile(x, y)</c>,
/// <c>invoke DeviceFromIP(x, y)</c> and the tabular <c>AssignedIPAddresses(x, y)</c>. The others (SeenBy, the
/// Get*Behaviors* filters) stay a clear "unsupported" error.
/// </summary>
internal static class FunctionParser
{
    /// <summary>The function that starts a tabular expression.</summary>
    public const string AssignedIpAddresses = "AssignedIPAddresses";

    private static readonly string[] FileIdColumns = ["SHA1", "SHA256", "InitiatingProcessSHA1", "InitiatingProcessSHA256"];

    private static readonly RowSchema AssignedSchema = new(
    [
        new HuntingColumnSchema("Timestamp", "datetime"), new HuntingColumnSchema("IPAddress", "string"), new HuntingColumnSchema("IPType", "string"),
        new HuntingColumnSchema("NetworkAdapterType", "int"), new HuntingColumnSchema("ConnectedNetworks", "dynamic"),
        new HuntingColumnSchema("DeviceId", "string"), new HuntingColumnSchema("DeviceName", "string"),
    ]);

    /// <summary><c>invoke Name(args)</c> after the pipe (the <c>invoke</c> keyword already read).</summary>
    public static QueryOperator Invoke(TokenReader reader, QueryScope scope, RowSchema schema)
    {
        var name = reader.ExpectName("a function name after 'invoke'");
        return name switch
        {
            "FileProfile" => FileProfile(reader, scope, schema),
            "DeviceFromIP" => DeviceFromIp(reader, scope, schema),
            _ => throw new HuntingQueryException($"Unsupported function '{name}' in the emulator."),
        };
    }

    /// <summary><c>AssignedIPAddresses(x, y)</c> at the start of a tabular expression: the device's latest addresses at or before y (default: now).</summary>
    public static TabularSource AssignedIpAddressesSource(TokenReader reader, QueryScope scope)
    {
        reader.Expect(AssignedIpAddresses);
        var args = Arguments(reader, scope, RowSchema.Empty);
        if (args.Count is < 1 or > 2 || args.Any(a => !a.IsConstant))
        {
            throw new HuntingQueryException("AssignedIPAddresses(x, y) takes a DeviceId or DeviceName and an optional datetime, both constant.");
        }

        var device = KqlValues.ToText(args[0].Value) ?? string.Empty;
        var at = args.Count == 2 ? KqlValues.ConvertToDateTime(args[1].Value) ?? throw new HuntingQueryException("The second argument of AssignedIPAddresses must be a datetime.") : (DateTime?)null;
        return new TabularSource(AssignedSchema, () => Assigned(scope.IpAssignments, device, at));
    }

    private static IEnumerable<object?[]> Assigned(IpAssignments assignments, string device, DateTime? at)
    {
        foreach (var report in assignments.Of(device, at))
        {
            int? adapterType = Enum.TryParse<NetworkInterfaceType>(report.AdapterType, ignoreCase: true, out var parsed) ? (int)parsed : null;
            foreach (var (address, type) in report.Addresses)
            {
                yield return [report.Timestamp, address, type, adapterType, report.ConnectedNetworks, report.DeviceId, report.DeviceName];
            }
        }
    }

    private static FileProfileOperator FileProfile(TokenReader reader, QueryScope scope, RowSchema schema)
    {
        var args = Arguments(reader, scope, schema);
        if (args.Count > 2)
        {
            throw new HuntingQueryException("FileProfile(x, y) takes at most two arguments: the file id column and the number of records to enrich.");
        }

        var column = args.Count == 0 ? "SHA1" : args[0].Column >= 0 ? schema[args[0].Column].Name : args[0].IsConstant ? KqlValues.ToText(args[0].Value) : null;
        if (column is null || !FileIdColumns.Contains(column, StringComparer.Ordinal))
        {
            throw new HuntingQueryException("The first argument of FileProfile must be SHA1, SHA256, InitiatingProcessSHA1 or InitiatingProcessSHA256.");
        }

        var index = schema.IndexOf(column);
        if (index < 0)
        {
            throw new HuntingQueryException($"FileProfile: the input has no column '{column}'.");
        }

        var limit = args.Count < 2 ? 100L : args[1].IsConstant ? KqlValues.ToLong(args[1].Value) ?? 0 : 0;
        if (limit is < 1 or > 1000)
        {
            throw new HuntingQueryException("The second argument of FileProfile must be a number of records from 1 to 1000.");
        }

        return new FileProfileOperator(schema, index, (int)limit, scope.FileProfiles);
    }

    private static DeviceFromIpOperator DeviceFromIp(TokenReader reader, QueryScope scope, RowSchema schema)
    {
        var args = Arguments(reader, scope, schema);
        if (args.Count > 2)
        {
            throw new HuntingQueryException("DeviceFromIP(x, y) takes at most two arguments: the IP column and a time.");
        }

        var ip = args.Count == 0 ? schema.IndexOf("IP") : args[0].Column;
        if (ip < 0)
        {
            throw new HuntingQueryException(args.Count == 0 ? "DeviceFromIP: the input has no column 'IP' (project IP = LocalIP first)." : "The first argument of DeviceFromIP must be a column holding the IP address.");
        }

        if (args.Count == 2 && args[1].Type is not ("datetime" or "dynamic" or "string"))
        {
            throw new HuntingQueryException("The second argument of DeviceFromIP must be a datetime.");
        }

        return new DeviceFromIpOperator(ip, args.Count == 2 ? args[1].Eval : null, () => scope.IpAssignments);
    }

    private static List<Scalar> Arguments(TokenReader reader, QueryScope scope, RowSchema schema)
    {
        reader.Expect("(");
        var args = new List<Scalar>();
        if (!reader.Accept(")"))
        {
            var parser = new ScalarParser(reader, scope, schema);
            do
            {
                args.Add(parser.Parse());
            }
            while (reader.Accept(","));
            reader.Expect(")");
        }

        return args;
    }
}
