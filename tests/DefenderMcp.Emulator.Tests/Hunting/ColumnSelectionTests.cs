using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;

namespace DefenderMcp.Emulator.Tests.Hunting;

public sealed class ColumnSelectionTests
{
    [Theory]
    [InlineData("Proc | project-away *e", new[] { "Timestamp", "Cmd", "Admin", "Pid", "Tags" })]
    [InlineData("Proc | project-away T*s*, S*e", new[] { "Device", "File", "Cmd", "Admin", "Pid" })]
    [InlineData("Proc | project-away ['Cmd'], D*ice, Nothing*", new[] { "Timestamp", "File", "Size", "Admin", "Pid", "Score", "Tags" })]
    [InlineData("Proc | project-keep *e, Pid", new[] { "Device", "File", "Size", "Pid", "Score" })]
    [InlineData("Proc | project-reorder Pid, D*", new[] { "Pid", "Device", "Timestamp", "File", "Cmd", "Size", "Admin", "Score", "Tags" })]
    [InlineData("Proc | project-reorder S* desc, Admin", new[] { "Size", "Score", "Admin", "Timestamp", "Device", "File", "Cmd", "Pid", "Tags" })]
    [InlineData("Proc | project-reorder S* asc", new[] { "Score", "Size", "Timestamp", "Device", "File", "Cmd", "Admin", "Pid", "Tags" })]
    public void Wildcards_select_columns_anywhere_in_the_name(string query, string[] names) => Assert.Equal(names, Names(Run(query)));

    [Fact]
    public void Selected_columns_keep_their_cells()
    {
        var result = Run("Proc | project-keep F*, Size | project-reorder Size | take 1");

        Assert.Equal(new object?[] { 100L, "powershell.exe" }, Assert.Single(result.Rows));
    }

    [Theory]
    [InlineData("Proc | project-keep Missing", "Failed to resolve scalar expression named 'Missing'")]
    [InlineData("Proc | project-reorder Missing", "Failed to resolve scalar expression named 'Missing'")]
    [InlineData("Proc | project-away 1", "expected a column name")]
    public void Unknown_plain_names_are_errors(string query, string message) =>
        Assert.Contains(message, Fails(query).Message, StringComparison.Ordinal);
}
