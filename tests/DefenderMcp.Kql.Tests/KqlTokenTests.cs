using DefenderMcp.Kql.Lexing;

namespace DefenderMcp.Kql.Tests;

public sealed class KqlTokenTests
{
    [Fact]
    public void Is_matches_identifier_text_case_insensitively_but_never_strings()
    {
        Assert.True(new KqlToken(KqlTokenKind.Identifier, "Where", 0, "Where").Is("where"));
        Assert.False(new KqlToken(KqlTokenKind.String, "'where'", 0, "where").Is("where"));
    }
}
