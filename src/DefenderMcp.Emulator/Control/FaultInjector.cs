using System.Text.RegularExpressions;

namespace DefenderMcp.Emulator.Control;

/// <summary>The faults tests and benchmarks inject; each is consumed per matching request.</summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<(string Id, FaultSpec Spec, Regex? Pattern, int Remaining)> _faults = [];
    private int _next;

    /// <summary>Adds a fault; returns its id.</summary>
    public string Add(FaultSpec spec)
    {
        var pattern = spec.PathPattern is null ? null : new Regex(spec.PathPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        lock (_gate)
        {
            var id = $"fault-{++_next}";
            _faults.Add((id, spec, pattern, spec.Count <= 0 ? int.MaxValue : spec.Count));
            return id;
        }
    }

    /// <summary>Removes every fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>The first fault matching this request, consuming one use of it.</summary>
    public FaultSpec? Match(string method, string pathAndQuery, EmulatedTenant? tenant)
    {
        lock (_gate)
        {
            for (var i = 0; i < _faults.Count; i++)
            {
                var (id, spec, pattern, remaining) = _faults[i];
                if ((spec.Method is not null && !string.Equals(spec.Method, method, StringComparison.OrdinalIgnoreCase)) ||
                    (pattern is not null && !pattern.IsMatch(pathAndQuery)) ||
                    (spec.Tenant is not null && (tenant is null || (!string.Equals(spec.Tenant, tenant.Key, StringComparison.OrdinalIgnoreCase) && !string.Equals(spec.Tenant, tenant.TenantId, StringComparison.OrdinalIgnoreCase)))))
                {
                    continue;
                }

                if (remaining <= 1)
                {
                    _faults.RemoveAt(i);
                }
                else if (remaining != int.MaxValue)
                {
                    _faults[i] = (id, spec, pattern, remaining - 1);
                }

                return spec;
            }
        }

        return null;
    }
}
