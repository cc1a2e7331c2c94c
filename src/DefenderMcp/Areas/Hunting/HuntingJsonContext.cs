using System.Text.Json.Serialization;

namespace DefenderMcp.Areas.Hunting;

/// <summary>
/// Source-generated serialization metadata for the hunting results, so a first hunt in a fresh process does not build
/// it by reflection. Used only through <see cref="HuntingJson"/>, which gives it the tool results' options.
/// </summary>
[JsonSerializable(typeof(HuntingQueryOutput))]
[JsonSerializable(typeof(HuntingPageOutput))]
internal sealed partial class HuntingJsonContext : JsonSerializerContext;
