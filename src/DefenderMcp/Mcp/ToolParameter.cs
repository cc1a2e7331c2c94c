using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DefenderMcp.Mcp;

/// <summary>
/// One tool parameter, declared once. Its input-schema fragment and the check <see cref="ToolArguments"/> applies to
/// its value are made from the same fields (length, pattern, values, bounds), so what a model reads in tools/list and
/// what a call is held to cannot drift apart, as they did when each was written by hand.
/// </summary>
public sealed class ToolParameter
{
    private readonly Func<JsonObject>? _customSchema;

    private ToolParameter(string name, ToolParameterKind kind, string description, Func<JsonObject>? customSchema = null)
    {
        Name = name;
        Kind = kind;
        Description = description;
        _customSchema = customSchema;
    }

    private ToolParameter(ToolParameter other)
        : this(other.Name, other.Kind, other.Description, other._customSchema)
    {
        IsRequired = other.IsRequired;
        MaxLength = other.MaxLength;
        Pattern = other.Pattern;
        Values = other.Values;
        Minimum = other.Minimum;
        Maximum = other.Maximum;
        IntegerDefault = other.IntegerDefault;
        BooleanDefault = other.BooleanDefault;
        MaxItems = other.MaxItems;
        Audited = other.Audited;
    }

    /// <summary>The argument's name.</summary>
    public string Name { get; }

    /// <summary>What it holds.</summary>
    public ToolParameterKind Kind { get; }

    /// <summary>What the model reads; a tool may say it its own way (<see cref="Described"/>).</summary>
    public string Description { get; private init; }

    /// <summary>True when the schema lists it as required; see <see cref="AsRequired"/>.</summary>
    public bool IsRequired { get; private init; }

    /// <summary>Longest string (of a list: longest item).</summary>
    public int MaxLength { get; private init; }

    /// <summary>The pattern a string (of a list: each item) must match, in the schema and in validation alike.</summary>
    public string? Pattern { get; private init; }

    /// <summary>
    /// The <see cref="Pattern"/> as the validator runs it, built at its first use: every tool's parameters are declared
    /// at start, most tools are never called in a session, and building their regexes was part of every start.
    /// ToolParameterTests builds every catalog pattern, so a bad one still fails a test rather than a call.
    /// </summary>
    public Regex? Regex => Pattern is null ? null : field ??= new Regex(Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>The listed values of an enum.</summary>
    public IReadOnlyList<string> Values { get; private init; } = [];

    /// <summary>Lowest integer.</summary>
    public int Minimum { get; private init; }

    /// <summary>Highest integer.</summary>
    public int Maximum { get; private init; }

    /// <summary>The integer taken when the argument is absent; null when absence means "not given".</summary>
    public int? IntegerDefault { get; private init; }

    /// <summary>The boolean taken when the argument is absent.</summary>
    public bool BooleanDefault { get; private init; }

    /// <summary>Most items of a list.</summary>
    public int MaxItems { get; private init; }

    /// <summary>False for a value that stays out of the audit line (a confirmation token).</summary>
    public bool Audited { get; private init; } = true;

    /// <summary>A string of at most <paramref name="maxLength"/> characters, matching <paramref name="pattern"/> when given.</summary>
    public static ToolParameter String(string name, string description, int maxLength, string? pattern = null, bool audited = true) =>
        new(name, ToolParameterKind.String, description) { MaxLength = maxLength, Pattern = pattern, Audited = audited };

    /// <summary>An ISO-8601 date-time.</summary>
    public static ToolParameter DateTime(string name, string description) =>
        new(name, ToolParameterKind.DateTime, description) { MaxLength = 40 };

    /// <summary>One of <paramref name="values"/>.</summary>
    public static ToolParameter Enum(string name, string description, IReadOnlyList<string> values) =>
        new(name, ToolParameterKind.Enum, description) { Values = values };

    /// <summary>An integer from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public static ToolParameter Integer(string name, string description, int minimum, int maximum, int? @default) =>
        new(name, ToolParameterKind.Integer, description) { Minimum = minimum, Maximum = maximum, IntegerDefault = @default };

    /// <summary>True or false, <paramref name="default"/> when absent.</summary>
    public static ToolParameter Boolean(string name, string description, bool @default = false) =>
        new(name, ToolParameterKind.Boolean, description) { BooleanDefault = @default };

    /// <summary>Up to <paramref name="maxItems"/> strings of at most <paramref name="maxLength"/> characters.</summary>
    public static ToolParameter StringList(string name, string description, int maxItems, int maxLength, string? itemPattern = null) =>
        new(name, ToolParameterKind.StringList, description) { MaxItems = maxItems, MaxLength = maxLength, Pattern = itemPattern };

    /// <summary>The shared <c>tenant</c> parameter; <see cref="Policy.TenantSelector"/> reads it.</summary>
    public static ToolParameter Tenant(bool allowFanOut) => Custom("tenant", () => Mcp.Schema.Tenant(allowFanOut));

    /// <summary>A parameter with a hand-made schema whose value a dedicated reader checks.</summary>
    public static ToolParameter Custom(string name, Func<JsonObject> schema) =>
        new(name, ToolParameterKind.Custom, string.Empty, schema);

    /// <summary>The same parameter, required by the tool that lists it.</summary>
    public ToolParameter AsRequired() => new(this) { IsRequired = true };

    /// <summary>The same parameter, described for one tool.</summary>
    public ToolParameter Described(string description) => new(this) { Description = description };

    /// <summary>A fresh schema fragment of this parameter.</summary>
    public JsonObject Schema() => Kind switch
    {
        ToolParameterKind.String => Mcp.Schema.String(Description, MaxLength, Pattern),
        ToolParameterKind.DateTime => Mcp.Schema.String(Description, MaxLength, format: "date-time"),
        ToolParameterKind.Enum => Mcp.Schema.Enum(Description, [.. Values]),
        ToolParameterKind.Integer => Mcp.Schema.Integer(Description, Minimum, Maximum, IntegerDefault),
        ToolParameterKind.Boolean => Mcp.Schema.Boolean(Description, BooleanDefault),
        ToolParameterKind.StringList => Mcp.Schema.StringArray(Description, MaxItems, MaxLength, Pattern),
        _ => DescribedCustom(),
    };

    // A hand-made schema carries its own description; one given for a tool (Described) replaces it.
    private JsonObject DescribedCustom()
    {
        var schema = _customSchema!();
        if (Description.Length > 0)
        {
            schema["description"] = Description;
        }

        return schema;
    }
}
