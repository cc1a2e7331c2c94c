namespace DefenderMcp.Client.Tests;

/// <summary>
/// The user pivots key on an account name; a UPN is reduced to its name only when it is one: exactly one '@', a name
/// before it and a domain after it. x@y@z or x@ was cut at the first '@' and pivoted on x, another account.
/// </summary>
public sealed class AccountNameTests
{
    [Theory]
    [InlineData("adele.vance@contoso.com", "adele.vance")]
    [InlineData("adele.vance@contoso.onmicrosoft.com", "adele.vance")]
    [InlineData("svc_backup@corp", "svc_backup")]
    [InlineData("CONTOSO\\adele.vance", "adele.vance")]
    [InlineData("adele.vance", "adele.vance")]
    public void A_upn_domain_name_or_account_name_gives_its_account_name(string user, string expected) =>
        Assert.Equal(expected, DefenderClient.AccountName(user));

    [Theory]
    [InlineData("x@y@z")]
    [InlineData("x@")]
    [InlineData("@contoso.com")]
    [InlineData("x@@contoso.com")]
    [InlineData("x@contoso..com")]
    [InlineData("x@.contoso.com")]
    [InlineData("x@contoso.com.")]
    [InlineData("x@-contoso.com")]
    [InlineData("x@contoso com")]
    [InlineData("CONTOSO\\")]
    public void A_malformed_upn_is_no_account_name(string user) =>
        Assert.Null(DefenderClient.AccountName(user));
}
