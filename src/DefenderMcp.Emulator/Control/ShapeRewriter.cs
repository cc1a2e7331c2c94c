using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DefenderMcp.Emulator.Control;

/// <summary>
/// Rewrites a real, well-formed JSON response into a hostile one of the same envelope: the fault body modes
/// <c>confused</c>, <c>nulls</c>, <c>deep</c>, <c>huge</c>, <c>loop</c>, <c>envelope</c> and <c>long-ids</c>. A client must survive each of them with a clear error
/// or a result that still matches its own contract, never a crash.
/// </summary>
/// <remarks>
/// The envelope is kept so that readers get past it and meet the items: in a root object, members named
/// <c>@odata.*</c> stay as they are, and an array member stays an array whose object elements are the items
/// (<c>value</c>, <c>Schema</c>/<c>Results</c>, <c>schema</c>/<c>results</c>, an alert's <c>evidence</c>...); every
/// other member of the root (a single entity's fields, <c>{"value": "uri"}</c>) is an item field itself. A root
/// array's object elements are the items. Only the item fields are rewritten, except in <c>loop</c>, which empties a
/// list page's <c>value</c> and points its <c>@odata.nextLink</c> at the request itself: a pager that follows links
/// without a bound never ends; and except in <c>envelope</c>, which attacks the envelope instead: every member of a root
/// object (<c>value</c>, <c>@odata.nextLink</c>, <c>schema</c>, <c>results</c>...) gets a value of another kind as in
/// <c>confused</c>; and except in <c>long-ids</c>, which only lengthens the item fields that are ids (<c>id</c> and names
/// ending in <c>Id</c>) to <see cref="LongIdLength"/> characters: a client that clips ids shorter than it reads them
/// makes them useless in a follow-up call.
/// </remarks>
public static class ShapeRewriter
{
    /// <summary>The rewriting body modes, in the order the control plane names them.</summary>
    public static readonly IReadOnlyList<string> Modes = ["confused", "nulls", "deep", "huge", "loop", "envelope", "long-ids"];

    /// <summary>What every string a <c>confused</c> rewrite makes starts with, so a test can spot it echoed.</summary>
    public const string ConfusedMarker = "confused:";

    /// <summary>How many arrays a <c>deep</c> rewrite wraps each item field in (System.Text.Json's default limit is 64).</summary>
    public const int DeepNesting = 100;

    /// <summary>How long a <c>long-ids</c> rewrite makes every id: the longest the server's client takes into a path.</summary>
    public const int LongIdLength = 256;

    /// <summary>About how many characters a <c>huge</c> rewrite adds to the body.</summary>
    public const int HugeGrowth = 1_000_000;

    /// <summary>
    /// The body rewritten by <paramref name="mode"/>, or null when it is not a JSON document (left as it is).
    /// Deterministic: the same body, mode and <paramref name="self"/> (the request's own URL, for <c>loop</c>) give the
    /// same bytes.
    /// </summary>
    public static byte[]? Rewrite(string mode, ReadOnlySpan<byte> body, Uri? self = null)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }

        if (root is null)
        {
            return null;
        }

        if (mode == "loop")
        {
            if (root is not JsonObject { } page || page["value"] is not JsonArray || self is null)
            {
                return null;
            }

            page["value"] = new JsonArray();
            page["@odata.nextLink"] = self.AbsoluteUri;
            return System.Text.Encoding.UTF8.GetBytes(page.ToJsonString());
        }

        if (mode == "envelope")
        {
            if (root is not JsonObject envelope)
            {
                return null;
            }

            foreach (var name in envelope.Select(m => m.Key).ToList())
            {
                Replace(envelope, name, Confuse);
            }

            return System.Text.Encoding.UTF8.GetBytes(envelope.ToJsonString());
        }

        Func<string?, JsonNode?, JsonNode?> rewrite = mode switch
        {
            "confused" => (_, value) => Confuse(value),
            "nulls" => (_, value) => Nullify(value),
            "deep" => (_, value) => Bury(value),
            "huge" => Inflater(root),
            "long-ids" => (name, value) => name is not null && (name == "id" || name.EndsWith("Id", StringComparison.Ordinal)) ? Lengthen(value) : value,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "not a rewriting mode"),
        };
        root = RewriteEnvelope(root, rewrite);

        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = DeepNesting * 2 }))
        {
            root.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    // The rewrite gets each item field's name (null for an element of a list of plain values) and its value.
    private static JsonNode RewriteEnvelope(JsonNode root, Func<string?, JsonNode?, JsonNode?> rewrite)
    {
        switch (root)
        {
            case JsonObject envelope:
                foreach (var name in envelope.Select(m => m.Key).ToList())
                {
                    if (name.StartsWith("@odata.", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (envelope[name] is JsonArray items)
                    {
                        RewriteItems(items, rewrite);
                    }
                    else
                    {
                        Replace(envelope, name, value => rewrite(name, value));
                    }
                }

                return envelope;
            case JsonArray items:
                RewriteItems(items, rewrite);
                return items;
            default:
                return root;
        }
    }

    // An object element keeps being an object and its members are rewritten; any other element is rewritten itself.
    private static void RewriteItems(JsonArray items, Func<string?, JsonNode?, JsonNode?> rewrite)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is JsonObject item)
            {
                foreach (var name in item.Select(m => m.Key).ToList())
                {
                    Replace(item, name, value => rewrite(name, value));
                }
            }
            else
            {
                Replace(items, i, value => rewrite(null, value));
            }
        }
    }

    // The member's value detached from its parent (so it can be wrapped or returned as it is), then its replacement.
    private static void Replace(JsonObject parent, string name, Func<JsonNode?, JsonNode?> rewrite)
    {
        var value = parent[name];
        parent[name] = null;
        parent[name] = rewrite(value);
    }

    private static void Replace(JsonArray parent, int index, Func<JsonNode?, JsonNode?> rewrite)
    {
        var value = parent[index];
        parent[index] = null;
        parent[index] = rewrite(value);
    }

    /// <summary>
    /// A value of another JSON kind: string → number (its length), number → string (<c>confused:</c> and the number),
    /// true/false → object, null → array, object → string, array → number (its length).
    /// </summary>
    public static JsonNode? Confuse(JsonNode? value) => value switch
    {
        null => new JsonArray(JsonValue.Create(ConfusedMarker + "null")),
        JsonObject => JsonValue.Create(ConfusedMarker + "object"),
        JsonArray array => JsonValue.Create(array.Count),
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => JsonValue.Create(value.GetValue<string>().Length),
            JsonValueKind.Number => JsonValue.Create(ConfusedMarker + value.ToJsonString()),
            _ => new JsonObject { ["confused"] = JsonValue.Create(ConfusedMarker + value.ToJsonString()) },
        },
    };

    // A string or number id padded with '-' and 'x' to LongIdLength characters (still one a path can carry); anything else as it is.
    private static JsonNode? Lengthen(JsonNode? value)
    {
        if (value is not JsonValue id || id.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number))
        {
            return value;
        }

        var text = id.GetValueKind() == JsonValueKind.String ? id.GetValue<string>() : id.ToJsonString();
        return JsonValue.Create(text.Length >= LongIdLength ? text : (text + "-").PadRight(LongIdLength, 'x'));
    }

    // Every leaf null, the nesting kept.
    private static JsonNode? Nullify(JsonNode? value)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(m => m.Key).ToList())
                {
                    Replace(obj, name, Nullify);
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Replace(array, i, Nullify);
                }

                return array;
            default:
                return null;
        }
    }

    private static JsonNode? Bury(JsonNode? value)
    {
        var buried = value;
        for (var i = 0; i < DeepNesting; i++)
        {
            buried = new JsonArray(buried);
        }

        return buried;
    }

    // Every string inside the items repeated so that the body grows by about HugeGrowth characters.
    private static Func<string?, JsonNode?, JsonNode?> Inflater(JsonNode root)
    {
        var total = Math.Max(1, ItemStringLength(root));
        var times = Math.Max(2, 1 + (HugeGrowth / total));
        return (_, value) => Inflate(value, times);
    }

    private static long ItemStringLength(JsonNode root)
    {
        long total = 0;
        void Count(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var member in obj)
                    {
                        Count(member.Value);
                    }

                    break;
                case JsonArray array:
                    foreach (var element in array)
                    {
                        Count(element);
                    }

                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    total += v.GetValue<string>().Length;
                    break;
            }
        }

        if (root is JsonObject envelope)
        {
            foreach (var member in envelope.Where(m => !m.Key.StartsWith("@odata.", StringComparison.Ordinal)))
            {
                Count(member.Value);
            }
        }
        else
        {
            Count(root);
        }

        return total;
    }

    private static JsonNode? Inflate(JsonNode? value, long times)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(m => m.Key).ToList())
                {
                    Replace(obj, name, v => Inflate(v, times));
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Replace(array, i, v => Inflate(v, times));
                }

                return array;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>();
                var copies = (int)Math.Min(times, Math.Max(1, (4 * HugeGrowth) / Math.Max(1, text.Length)));
                return JsonValue.Create(new StringBuilder(text.Length * copies).Insert(0, text, copies).ToString());
            default:
                return value;
        }
    }
}
