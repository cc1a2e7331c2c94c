using System.Text.Json;
using System.Text;

namespace DefenderMcp.Audit;

/// <summary>
/// Writes one JSON line per event to stderr and, optionally, to a file (mode 0600). Each line carries
/// <c>prev_hash</c>, the SHA-256 of the previous line, so an edited or removed line is detectable.
/// </summary>
public sealed class AuditLog : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TextWriter _console;
    private readonly StreamWriter? _file;
    private readonly TimeProvider _time;
    private readonly string? _headPath;
    private string _previousHash;
    private long _fileLines;

    /// <summary>Creates the log; when <paramref name="filePath"/> is given the chain continues from its last line.</summary>
    public AuditLog(TextWriter console, string? filePath, TimeProvider time)
    {
        _console = console;
        _time = time;
        _previousHash = string.Empty;
        if (filePath is not null)
        {
            (_fileLines, _previousHash) = AuditChain.CountAndLastHash(filePath);
            _headPath = AuditHead.PathFor(filePath);
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            _file = new StreamWriter(new FileStream(filePath, options), new UTF8Encoding(false)) { AutoFlush = true };
        }
    }

    /// <summary>Appends one record. Never throws: an audit failure is reported on stderr and the call goes on.</summary>
    public void Write(AuditRecord record)
    {
        lock (_gate)
        {
            try
            {
                var line = Serialize(record, _time.GetUtcNow(), _previousHash);
                _previousHash = AuditChain.Hash(line);
                _console.WriteLine(line);
                _console.Flush();
                if (_file is not null)
                {
                    _file.WriteLine(line);
                    _fileLines++;
                    new AuditHead(_fileLines, _previousHash).Write(_headPath!);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                _console.WriteLine("{\"event\":\"audit_failure\",\"message\":\"could not write the audit file\"}");
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file?.Dispose();

    private static string Serialize(AuditRecord record, DateTimeOffset now, string previousHash)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("ts", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("event", record.Event);
            WriteIfSet(w, "tool", record.Tool);
            w.WriteStartArray("tenants");
            foreach (var tenant in record.Tenants)
            {
                w.WriteStringValue(tenant);
            }

            w.WriteEndArray();
            if (record.Parameters is not null)
            {
                w.WritePropertyName("params");
                record.Parameters.WriteTo(w);
            }

            if (record.DurationMs is { } ms)
            {
                w.WriteNumber("duration_ms", ms);
            }

            WriteIfSet(w, "outcome", record.Outcome);
            WriteIfSet(w, "error_code", record.ErrorCode);
            if (record.Counts is { Count: > 0 } counts)
            {
                w.WriteStartObject("counts");
                foreach (var (name, value) in counts)
                {
                    w.WriteNumber(name, value);
                }

                w.WriteEndObject();
            }

            WriteIfSet(w, "confirmation", record.Confirmation);
            WriteIfSet(w, "policy_decision", record.PolicyDecision);
            WriteIfSet(w, "action_id", record.ActionId);
            if (record.ClientName is not null || record.ClientVersion is not null)
            {
                w.WriteStartObject("client");
                WriteIfSet(w, "name", record.ClientName);
                WriteIfSet(w, "version", record.ClientVersion);
                w.WriteEndObject();
            }

            if (record.CallerName is not null)
            {
                w.WriteStartObject("caller");
                w.WriteString("name", record.CallerName);
                WriteIfSet(w, "kind", record.CallerKind);
                w.WriteEndObject();
            }

            if (record.Notes is { Count: > 0 } notes)
            {
                w.WriteStartArray("notes");
                foreach (var note in notes)
                {
                    w.WriteStringValue(note);
                }

                w.WriteEndArray();
            }

            w.WriteString("prev_hash", previousHash);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
